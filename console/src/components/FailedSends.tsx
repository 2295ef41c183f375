import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError, allPages } from '../api';
import { shownTime } from '../time';
import { FleetEvents } from '../use-fleet';

interface OutboxItemView {
  requestId: string;
  to: string;
  text: string;
  status: string;
  attempts: number;
  lastError: string | null;
  failureReason: string | null;
  updatedAt: string;
}

/** The account's failed sends with why each failed, each one click from being queued again. */
export function FailedSends({ api, accountId, events }: { api: Api; accountId: string; events: FleetEvents }) {
  const [items, setItems] = useState<OutboxItemView[]>([]);
  const [version, setVersion] = useState(0);
  const [notes, setNotes] = useState<Record<string, string>>({});

  useEffect(() => {
    let current = true;
    allPages<OutboxItemView>(api, `/outbox?accountId=${encodeURIComponent(accountId)}&status=failed`).then((list) => current && setItems(list), () => undefined);
    return () => {
      current = false;
    };
  }, [api, accountId, version]);
  useEffect(
    () => events.subscribe((event) => event.body?.data.accountId === accountId && (event.type === 'message.failed' || event.type === 'message.accepted') && setVersion((n) => n + 1)),
    [events, accountId],
  );

  const retry = async (requestId: string) => {
    try {
      const item = await api.post<OutboxItemView>(`/outbox/${encodeURIComponent(accountId)}/${encodeURIComponent(requestId)}/retry`);
      setNotes((all) => ({ ...all, [requestId]: `Retried: ${item.status}` }));
      setVersion((n) => n + 1);
    } catch (failure) {
      setNotes((all) => ({ ...all, [requestId]: failure instanceof ApiError ? failure.message : 'No answer' }));
    }
  };

  return (
    <div class="failed-sends">
      <h3>Failed sends</h3>
      {items.length === 0 && Object.keys(notes).length === 0 && <p class="muted">None</p>}
      <ul>
        {items.map((item) => (
          <li key={item.requestId} data-request-id={item.requestId}>
            <span class="bad">failed</span>: <strong>{item.failureReason ?? 'unknown'}</strong> {item.lastError && <span>({item.lastError})</span>}
            <div class="muted">
              {item.requestId} to {item.to}, {item.attempts} attempt(s), {shownTime(item.updatedAt)}
            </div>
            <p class="text clip">{item.text}</p>
            <button type="button" onClick={() => retry(item.requestId)}>
              Retry
            </button>
          </li>
        ))}
      </ul>
      {Object.entries(notes).map(([requestId, note]) => (
        <p key={requestId} role="status">
          {requestId}: {note}
        </p>
      ))}
    </div>
  );
}
