import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhatsAppSimulator } from '../../src/whatsapp/simulator/whatsapp-simulator';
import { scrape, valueOf } from '../medium/ops/support/prometheus';
import { TestApp, startTestApp } from '../support/app';
import { eventually } from '../support/eventually';

/** The store refuses every new message and every status change until the triggers are dropped. */
const REFUSE = [
  `CREATE TRIGGER refuse_messages BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'injected: store refuses writes'); END`,
  `CREATE TRIGGER refuse_statuses BEFORE UPDATE ON messages BEGIN SELECT RAISE(ABORT, 'injected: store refuses writes'); END`,
];
const RECOVER = ['DROP TRIGGER refuse_messages', 'DROP TRIGGER refuse_statuses'];

describe('inbound messages and receipts while the store refuses them (the spool)', () => {
  let t: TestApp;
  let simulator: WhatsAppSimulator;
  const spool = async () => {
    const samples = await scrape(t);
    const outcome = (name: string) => valueOf(samples, 'whatsapp_spool_events_total', { outcome: name });
    return { spooled: outcome('spooled'), replayed: outcome('replayed'), lost: outcome('lost'), pending: valueOf(samples, 'whatsapp_spool_pending_events') };
  };
  const rowsOf = (waMessageId: string) => t.db().prepare('SELECT text, direction FROM messages WHERE account_id = ? AND wa_message_id = ?').all('accA', waMessageId);

  beforeAll(async () => {
    t = await startTestApp({ SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', SPOOL_RETRY_MS: '100' });
    simulator = t.app.get(WhatsAppSimulator);
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accA' } });
    await eventually(() => t.request('GET', '/api/whatsapp/accounts/accA'), (r) => r.body.status === 'connected');
  });
  afterAll(() => t.close());

  it('spools what the store refuses, then stores every message and receipt exactly once when it recovers', async () => {
    const sent = await t.request('POST', '/api/whatsapp/send-message', { body: { accountId: 'accA', to: '40766666666', message: 'read me' } });
    const url = `/api/whatsapp/threads/${encodeURIComponent(sent.body.threadId)}/messages/${sent.body.messageId}`;
    await eventually(() => t.request('GET', url), (r) => r.body.status === 'sent');

    for (const sql of REFUSE) t.db().exec(sql);
    simulator.injectInbound('accA', { from: '40711111111', text: 'spooled body one', waMessageId: 'SPOOL1' });
    simulator.injectInbound('accA', { from: '40711111111', text: 'spooled body one', waMessageId: 'SPOOL1' }); // WhatsApp repeats it
    simulator.injectInbound('accA', { from: '40722222222', text: 'spooled body two', waMessageId: 'SPOOL2' });
    simulator.injectReceipt('accA', { waMessageId: sent.body.waMessageId, status: 'delivered' });
    simulator.injectReceipt('accA', { waMessageId: sent.body.waMessageId, status: 'read' });
    const during = await eventually(spool, (s) => s.spooled === 5);
    expect(during).toMatchObject({ spooled: 5, pending: 5, replayed: 0, lost: 0 });
    // Retries keep failing while the store refuses: nothing is stored, nothing leaves the spool.
    await eventually(() => t.logs.filter((l) => l.msg === 'the store still refuses spooled events; next try in SPOOL_RETRY_MS').length, (n) => n >= 2);
    expect(rowsOf('SPOOL1')).toEqual([]);
    expect((await t.request('GET', url)).body.status).toBe('sent');
    expect((await spool()).pending).toBe(5);
    const heardBy = Date.now();

    for (const sql of RECOVER) t.db().exec(sql);
    const after = await eventually(spool, (s) => s.pending === 0);
    expect(after).toEqual({ spooled: 5, replayed: 5, lost: 0, pending: 0 });
    expect(rowsOf('SPOOL1')).toEqual([{ text: 'spooled body one', direction: 'inbound' }]);
    expect(rowsOf('SPOOL2')).toEqual([{ text: 'spooled body two', direction: 'inbound' }]);
    const message = (await t.request('GET', url)).body;
    expect(message).toMatchObject({ status: 'read', deliveredAt: expect.any(String), readAt: expect.any(String) });
    // Timed when WhatsApp reported it, not when the store finally took it.
    expect(Date.parse(message.readAt)).toBeLessThanOrEqual(heardBy);
    const inbound = await scrape(t);
    expect(valueOf(inbound, 'whatsapp_inbound_messages_total', { outcome: 'stored', direction: 'inbound' })).toBe(2);
    expect(valueOf(inbound, 'whatsapp_inbound_messages_total', { outcome: 'duplicate', direction: 'inbound' })).toBe(1);
    // The spool logs say which event, never what it says.
    const spoolLines = t.logs.filter((l) => String(l.msg).includes('spool'));
    expect(spoolLines.some((l) => l.msg === 'the store refused a provider event; spooled for replay' && l.waMessageId === 'SPOOL2')).toBe(true);
    expect(JSON.stringify(t.logs)).not.toContain('spooled body');
  });
});
