import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Api, allPages, inParallel } from './api';
import { StreamEvent, followEvents } from './event-stream';
import { AccountView, Fleet, SummaryAnswer, applyEvent, viewOf, withSummary } from './fleet';

export type StreamState = 'connecting' | 'live' | 'reconnecting';
export type EventListener = (event: StreamEvent) => void;

/** Summaries fetched at once: 300 accounts must not open 300 requests together. */
const SUMMARY_WIDTH = 6;
/** The server keeps a summary 10 s, so an account's is asked again at most this often. */
const SUMMARY_REFRESH_MS = 10_500;
const STALE_CHECK_MS = 2_000;

/**
 * The fleet the key sees, live: the stream is opened first and the list read after, so no change made
 * while the list loads is missed. Counts come from each account's summary, read again after its sends or
 * receipts moved, until one read after the last change comes back (the server may answer a kept one).
 */
export function useFleet(api: Api, onRevoked: () => void) {
  const [fleet, setFleet] = useState<Fleet>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [loadError, setLoadError] = useState<string | null>(null);
  const listeners = useRef(new Set<EventListener>());
  /** Accounts whose counts moved since their summary was read, with the time of the latest change (server clock). */
  const stale = useRef(new Map<string, string>());
  const askedAt = useRef(new Map<string, number>());

  const readSummaries = (accountIds: string[]) =>
    inParallel(accountIds, SUMMARY_WIDTH, async (accountId) => {
      askedAt.current.set(accountId, Date.now());
      try {
        const summary = await api.get<SummaryAnswer>(`/accounts/${encodeURIComponent(accountId)}/summary`);
        setFleet((current) => withSummary(current, summary));
        const change = stale.current.get(accountId);
        if (change && summary.readAt >= change) stale.current.delete(accountId);
      } catch {
        // Deleted meanwhile, or the server is busy: the next check asks again.
      }
    });

  useEffect(() => {
    const stop = followEvents(api.key, {
      onEvent: (event) => {
        setFleet((current) => applyEvent(current, event));
        const accountId = event.body?.data?.accountId;
        if (accountId && event.type.startsWith('message.')) stale.current.set(accountId, event.body!.data.occurredAt);
        // An account made after the list was read has no counts yet.
        if (accountId && event.type === 'account.created') void readSummaries([accountId]);
        for (const listener of listeners.current) listener(event);
      },
      onState: setStream,
      onRevoked,
    });
    let cancelled = false;
    (async () => {
      try {
        const accounts = await allPages<Partial<AccountView> & { accountId: string }>(api, '/accounts');
        if (cancelled) return;
        setFleet((current) => {
          const next = new Map(current);
          for (const account of accounts) next.set(account.accountId, viewOf(account, current.get(account.accountId)));
          return next;
        });
        setLoaded(true);
        await readSummaries(accounts.map((account) => account.accountId));
      } catch (failure) {
        setLoadError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    const refresh = setInterval(() => {
      const due = [...stale.current.keys()].filter((accountId) => Date.now() - (askedAt.current.get(accountId) ?? 0) >= SUMMARY_REFRESH_MS);
      if (due.length) void readSummaries(due);
    }, STALE_CHECK_MS);
    return () => {
      cancelled = true;
      stop();
      clearInterval(refresh);
    };
  }, [api]);

  const events = useMemo(
    () => ({
      subscribe(listener: EventListener): () => void {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [],
  );
  return { fleet, loaded, stream, loadError, events };
}

export type FleetEvents = ReturnType<typeof useFleet>['events'];
