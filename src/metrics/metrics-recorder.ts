import { Injectable, Logger, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Clock } from '../common/clock';
import { sharedRead } from '../common/shared-read';
import { AppConfig } from '../config/app-config';

export type SendResult = 'sent' | 'transient' | 'permanent' | 'gave_up';
export type SendRequestOutcome = 'accepted' | 'replayed';
/** What a receipt did to its message (messaging's StatusOutcome), or `ignored` (not for a message of ours). */
export type ReceiptOutcome = 'advanced' | 'unchanged' | 'unknown' | 'ignored';
/** `spooled`: the store refused it, it waits on disk; `replayed`: the store took it later; `lost`: not even spooled. */
export type SpoolOutcome = 'spooled' | 'replayed' | 'lost';

/** Accept to `sent` runs from milliseconds (connected account) to hours (an account down for a while). */
const SEND_LATENCY_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * The events the app counts, named from the domain; services call one method per event. Each app has
 * its own registry (not prom-client's global one) so several apps in one test process never share counts.
 */
@Injectable()
export class MetricsRecorder {
  readonly registry = new Registry();
  private readonly logger = new Logger('MetricsRecorder');

  private readonly sendRequests = this.counter('whatsapp_send_requests_total', 'Send requests accepted, or answered again from idempotency (same key, same request)', ['outcome']);
  private readonly sendAttempts = this.counter('whatsapp_send_attempts_total', 'Tries of an outbox item through its account socket', []);
  private readonly sendResults = this.counter('whatsapp_send_results_total', 'Outcomes of send attempts: sent, transient (retried later), permanent (rejected), gave_up (no attempts left)', ['result']);
  private readonly sendLatency = new Histogram({
    name: 'whatsapp_send_latency_seconds',
    help: 'From the accepted request (HTTP 202) to WhatsApp acknowledging the send',
    buckets: SEND_LATENCY_BUCKETS_S,
    registers: [this.registry],
  });
  private readonly receipts = this.counter('whatsapp_receipts_total', 'Provider receipts by the status they carry and what they did to the message', ['status', 'outcome']);
  private readonly inbound = this.counter('whatsapp_inbound_messages_total', 'Provider messages stored, or recognised as already stored', ['outcome', 'direction']);
  private readonly socketCloses = this.counter('whatsapp_socket_closes_total', 'Account sockets closed, by DisconnectReason and what the account does next', ['reason', 'reaction']);
  private readonly reconnects = this.counter('whatsapp_account_reconnects_total', 'New sockets opened after a close (trigger: the disconnect reason) or on an operator request', ['trigger']);
  private readonly leasesTaken = this.counter('whatsapp_account_leases_taken_total', 'Accounts this instance took by claim (unowned, released or expired)', []);
  private readonly outboxPurged = this.counter('whatsapp_outbox_items_purged_total', 'Ended outbox items deleted after their retention (sqlite; Firestore TTL deletes them there)', []);
  private readonly accountPauses = this.counter('whatsapp_account_pauses_total', "Accounts paused by WhatsApp's limits, by reason: rate_overlimit (429), reach_out_locked (463)", ['reason']);
  private readonly leasesLost = this.counter('whatsapp_account_leases_lost_total', 'Accounts this instance lost without giving them back', ['why']);
  private readonly spoolEvents = this.counter('whatsapp_spool_events_total', 'Provider events the store refused: spooled to disk, replayed into the store later, or lost (not even spooled)', ['outcome']);
  private readonly spoolPending = new Gauge({
    name: 'whatsapp_spool_pending_events',
    help: 'Provider events waiting in this process\'s spool (its own and those adopted from dead processes) for the store',
    registers: [this.registry],
  });
  private readonly webhookResults = this.counter('whatsapp_webhook_deliveries_total', 'Webhook delivery attempts by what they decided: delivered (2xx), retrying (later), failed (410, or no attempts left)', ['result']);
  private readonly webhookLatency = new Histogram({
    name: 'whatsapp_webhook_attempt_seconds',
    help: 'One webhook delivery attempt, connection to the end of the answer (or the timeout)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly eventFailures = this.counter('whatsapp_provider_event_failures_total', 'Provider events whose handling failed and is not retried (logged at error), by event', ['event']);

  /** A scrape-time gauge reads the store at most this often, however often it is scraped (CONTRACT "Access": 10 s). */
  private readonly storeReadEveryMs: number;

  constructor(@Optional() private readonly clock: Clock = new Clock(), @Optional() config?: AppConfig) {
    this.storeReadEveryMs = config?.metricsStoreReadMs ?? 10_000;
    collectDefaultMetrics({ register: this.registry });
  }

  sendRequest(outcome: SendRequestOutcome): void {
    this.sendRequests.inc({ outcome });
  }

  sendAttempted(): void {
    this.sendAttempts.inc();
  }

  /** WhatsApp acknowledged the item `latencyMs` after its request was accepted. */
  sent(latencyMs: number): void {
    this.sendResults.inc({ result: 'sent' });
    this.sendLatency.observe(Math.max(0, latencyMs) / 1000);
  }

  sendFailed(result: Exclude<SendResult, 'sent'>): void {
    this.sendResults.inc({ result });
  }

  /** `status` is null when the provider status maps to none of ours (ignored). */
  receipt(outcome: ReceiptOutcome, status: string | null): void {
    this.receipts.inc({ outcome, status: status ?? 'unmapped' });
  }

  inboundMessage(outcome: 'stored' | 'duplicate', fromMe: boolean): void {
    this.inbound.inc({ outcome, direction: fromMe ? 'outbound' : 'inbound' });
  }

  socketClosed(reason: string, reaction: string): void {
    this.socketCloses.inc({ reason, reaction });
    if (reaction === 'reconnect') this.reconnects.inc({ trigger: reason });
  }

  reconnectRequested(): void {
    this.reconnects.inc({ trigger: 'operator' });
  }

  outboxItemsPurged(count: number): void {
    this.outboxPurged.inc(count);
  }

  leaseTaken(): void {
    this.leasesTaken.inc();
  }

  accountPaused(reason: string): void {
    this.accountPauses.inc({ reason });
  }

  leaseLost(why: string): void {
    this.leasesLost.inc({ why });
  }

  spooled(outcome: SpoolOutcome): void {
    this.spoolEvents.inc({ outcome });
  }

  spoolHolds(pending: number): void {
    this.spoolPending.set(pending);
  }

  webhookAttempted(result: 'delivered' | 'retrying' | 'failed', ms: number): void {
    this.webhookResults.inc({ result });
    this.webhookLatency.observe(ms / 1000);
  }

  /** `event`: `connection` (the account record not updated), `session_write`, or a listener's event name. */
  providerEventFailed(event: string): void {
    this.eventFailures.inc({ event });
  }

  /**
   * A gauge read when Prometheus scrapes (from the store, true across instances: aggregate with `max`),
   * one series per label value. A read that fails leaves it empty for that scrape instead of failing it.
   * Reads are shared for METRICS_STORE_READ_MS, so each family costs one store read per 10 s per instance.
   */
  scrapedGauge(metric: { name: string; help: string; label: string; read: () => Promise<Record<string, number>> }): void {
    const logger = this.logger;
    const read = sharedRead(metric.read, this.storeReadEveryMs, this.clock);
    new Gauge({
      name: metric.name,
      help: metric.help,
      labelNames: [metric.label],
      registers: [this.registry],
      async collect() {
        this.reset();
        const values = await read().catch((error: unknown) => void logger.warn({ err: error, metric: metric.name }, 'scrape-time values unavailable'));
        for (const [value, n] of Object.entries(values ?? {})) this.set({ [metric.label]: value }, n);
      },
    });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
