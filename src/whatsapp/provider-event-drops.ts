import { Counter, Registry } from 'prom-client';

/**
 * Why a provider event, or one field of it, was not passed on: WhatsApp (or a bug) sent something that
 * fails our checks. Deliberate skips (protocol messages, status broadcasts) are not drops.
 */
export type DropReason =
  | 'invalid_message_id'
  | 'invalid_chat_jid'
  | 'invalid_alt_jid'
  | 'invalid_participant_jid'
  | 'invalid_timestamp'
  | 'invalid_status'
  | 'invalid_error_code'
  | 'invalid_lid_mapping'
  | 'invalid_media'
  | 'invalid_location'
  | 'invalid_reaction';

/**
 * Counts of dropped provider events by reason, for every account of this process. One instance per
 * provider; `countIn` shows them at `/metrics`.
 */
export class ProviderEventDrops {
  private readonly counts = new Map<DropReason, number>();

  countIn(registry: Registry): this {
    const drops = this;
    new Counter({
      name: 'whatsapp_provider_events_dropped_total',
      help: 'Provider events (or fields of them) dropped as invalid, by reason',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, n] of Object.entries(drops.snapshot())) this.inc({ reason }, n ?? 0);
      },
    });
    return this;
  }

  count(reasons: readonly DropReason[]): void {
    for (const reason of reasons) this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
  }

  snapshot(): Partial<Record<DropReason, number>> {
    return Object.fromEntries(this.counts);
  }
}
