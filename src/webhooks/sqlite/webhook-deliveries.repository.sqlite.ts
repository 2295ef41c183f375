import { Injectable } from '@nestjs/common';
import { Page, PageRequest, encodeCursor } from '../../common/page';
import { EventRow, toLoggedEvent } from '../../events/sqlite/event-rows.sqlite';
import { Claim } from '../../outbox/claim-rule';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { DeliveryClaimRequest, DispatchedEvent, WebhookDeliveries } from '../webhook-deliveries.repository';
import { AttemptResult, ClaimedDelivery, DeliveryAttempt, DeliveryDecision, deliveryIdOf, hears } from '../webhook-delivery';
import { WebhookRow, toEndpoint } from './webhook-rows.sqlite';
import { AttemptRow, DeliveryRow, toAttempt, toAttemptRow, toDelivery } from './webhook-delivery-rows.sqlite';

const OPEN = `status IN ('queued', 'processing')`;
const STILL_CLAIMED = `id = @id AND status = 'processing' AND claimed_by = @claimedBy AND attempts = @attempts`;
/** Mirrors isClaimable() (claim-rule.ts) for items with no order among them: a claim sets next_attempt_at to its lease's end. */
const CLAIM = `UPDATE webhook_deliveries SET status = 'processing', claimed_by = @owner, lease_until = @leaseUntil, next_attempt_at = @leaseUntil,
    attempts = attempts + 1, updated_at = @now
  WHERE id IN (
    SELECT id FROM webhook_deliveries
    WHERE webhook_id = @webhookId AND ${OPEN} AND next_attempt_at <= @now
    ORDER BY next_attempt_at
    LIMIT @limit)
  RETURNING *`;
const INSERT_ITEM = `INSERT INTO webhook_deliveries (id, webhook_id, event_id, status, next_attempt_at, created_at, updated_at)
  VALUES (@id, @webhookId, @eventId, 'queued', MAX(@now, COALESCE((SELECT until FROM webhook_pauses WHERE webhook_id = @webhookId), 0)), @now, @now)`;

/**
 * The sqlite side of webhook deliveries. Dispatches, claims and outcomes go through group commit with the
 * other writes; each is one transaction (the dispatch's cursor and its items, an outcome and its log row).
 */
@Injectable()
export class SqliteWebhookDeliveries extends WebhookDeliveries {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  async dispatchedThrough(): Promise<string | null> {
    return (this.store.statement('SELECT cursor FROM webhook_dispatch WHERE id = 1').get() as { cursor: string } | undefined)?.cursor ?? null;
  }

  dispatch(from: string | null, to: string, events: DispatchedEvent[], now: number): Promise<string[] | null> {
    return this.store.writes.run(() => {
      const moved =
        from === null
          ? this.store.statement('INSERT INTO webhook_dispatch (id, cursor) VALUES (1, @to) ON CONFLICT (id) DO NOTHING').run({ to })
          : this.store.statement('UPDATE webhook_dispatch SET cursor = @to WHERE id = 1 AND cursor = @from').run({ from, to });
      if (moved.changes === 0) return null;
      const endpoints = (this.store.statement('SELECT * FROM webhooks WHERE enabled = 1').all() as WebhookRow[]).map(toEndpoint);
      const insert = this.store.statement(`${INSERT_ITEM} ON CONFLICT (id) DO NOTHING`);
      const given = new Set<string>();
      for (const event of events) {
        for (const endpoint of endpoints.filter((candidate) => hears(candidate, event))) {
          insert.run({ id: deliveryIdOf(endpoint.webhookId, event.eventId), webhookId: endpoint.webhookId, eventId: event.eventId, now });
          given.add(endpoint.webhookId);
        }
      }
      return [...given];
    });
  }

  claim(request: DeliveryClaimRequest): Promise<ClaimedDelivery[]> {
    const { owner, now } = request;
    const leaseUntil = now + request.leaseMs;
    return this.store.writes.run(() => {
      const claim = this.store.statement(CLAIM);
      const eventOf = this.store.statement('SELECT * FROM events WHERE event_id = ?');
      return request.endpoints.flatMap(({ webhookId, limit }) =>
        (claim.all({ webhookId, limit, owner, leaseUntil, now }) as DeliveryRow[]).map((row) => {
          const event = eventOf.get(row.event_id) as EventRow | undefined;
          return { ...toDelivery(row), event: event ? toLoggedEvent(event) : null };
        }),
      );
    });
  }

  record(claim: Claim, attempt: DeliveryAttempt, decision: DeliveryDecision, now: number): Promise<boolean> {
    return this.store.writes.run(() => {
      const held = { id: claim.id, claimedBy: claim.claimedBy, attempts: claim.attempts, now };
      const changed =
        decision.result === 'retrying'
          ? this.store
              .statement(`UPDATE webhook_deliveries SET status = 'queued', next_attempt_at = @retryAt, lease_until = NULL, claimed_by = NULL, updated_at = @now WHERE ${STILL_CLAIMED}`)
              .run({ ...held, retryAt: decision.retryAt })
          : this.store
              .statement(`UPDATE webhook_deliveries SET status = @status, ended_at = @now, lease_until = NULL, updated_at = @now WHERE ${STILL_CLAIMED}`)
              .run({ ...held, status: decision.result });
      this.store.statement(INSERT_ATTEMPT).run(toAttemptRow(attempt));
      if (changed.changes === 0) return false;
      if (decision.result === 'retrying' && decision.pauseUntil !== undefined) this.pause(attempt.webhookId, decision.pauseUntil);
      return true;
    });
  }

  releaseAll(owner: string, now: number): Promise<number> {
    return this.store.writes.run(
      () =>
        this.store
          .statement(
            `UPDATE webhook_deliveries SET status = 'queued', attempts = attempts - 1, next_attempt_at = @now, lease_until = NULL, claimed_by = NULL, updated_at = @now
             WHERE claimed_by = @owner AND status = 'processing'`,
          )
          .run({ owner, now }).changes,
    );
  }

  replay(webhookId: string, eventIds: string[], now: number): Promise<number> {
    return this.store.writes.run(() => {
      const requeue = this.store.statement(
        `${INSERT_ITEM} ON CONFLICT (id) DO UPDATE SET status = 'queued', attempts = 0, next_attempt_at = excluded.next_attempt_at,
           lease_until = NULL, claimed_by = NULL, ended_at = NULL, updated_at = @now
         WHERE webhook_deliveries.status <> 'processing'`,
      );
      return eventIds.reduce((queued, eventId) => queued + requeue.run({ id: deliveryIdOf(webhookId, eventId), webhookId, eventId, now }).changes, 0);
    });
  }

  async attempts(webhookId: string, filter: { result?: AttemptResult }, page: PageRequest): Promise<Page<DeliveryAttempt>> {
    const result = filter.result === undefined ? '' : 'AND result = @result';
    // seq orders attempts as `at` does, give or take a clock step; the cursor's time is Firestore's key.
    const after = page.after ? 'AND seq < @before' : '';
    const rows = this.store
      .statement(`SELECT * FROM webhook_attempts WHERE webhook_id = @webhookId ${result} ${after} ORDER BY seq DESC LIMIT @limit`)
      .all({ webhookId, result: filter.result, before: page.after ? Number(page.after.id) : undefined, limit: page.limit + 1 }) as AttemptRow[];
    const items = rows.slice(0, page.limit);
    const last = items[items.length - 1];
    return { items: items.map(toAttempt), nextCursor: rows.length > page.limit ? encodeCursor({ key: last.at, id: String(last.seq) }) : null };
  }

  async backlog(): Promise<Array<{ webhookId: string; open: number; oldestCreatedAt: number }>> {
    return this.store
      .statement(`SELECT webhook_id AS webhookId, COUNT(*) AS open, MIN(created_at) AS oldestCreatedAt FROM webhook_deliveries WHERE ${OPEN} GROUP BY webhook_id`)
      .all() as Array<{ webhookId: string; open: number; oldestCreatedAt: number }>;
  }

  purgeBefore(before: number, limit: number): Promise<number> {
    return this.store.writes.run(() => {
      this.store.statement('DELETE FROM webhook_attempts WHERE seq IN (SELECT seq FROM webhook_attempts WHERE at < ? ORDER BY at LIMIT ?)').run(before, limit);
      return this.store.statement('DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries WHERE ended_at < ? ORDER BY ended_at LIMIT ?)').run(before, limit).changes;
    });
  }

  /** Holds the endpoint's every open item back until `until`; a longer pause already set stays. */
  private pause(webhookId: string, until: number): void {
    this.store.statement('INSERT INTO webhook_pauses (webhook_id, until) VALUES (@webhookId, @until) ON CONFLICT (webhook_id) DO UPDATE SET until = MAX(until, excluded.until)').run({ webhookId, until });
    this.store.statement(`UPDATE webhook_deliveries SET next_attempt_at = @until WHERE webhook_id = @webhookId AND status = 'queued' AND next_attempt_at < @until`).run({ webhookId, until });
  }
}

const INSERT_ATTEMPT = `INSERT INTO webhook_attempts (delivery_id, webhook_id, event_id, attempt, at, status_code, error, ms, result)
  VALUES (@delivery_id, @webhook_id, @event_id, @attempt, @at, @status_code, @error, @ms, @result)`;
