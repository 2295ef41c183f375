import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountConnections } from '../../../src/accounts/account-connections.service';
import { AccountDrains } from '../../../src/accounts/account-drains';
import { AccountOwnership } from '../../../src/accounts/account-ownership.service';
import { AccountPauses } from '../../../src/accounts/account-pauses.service';
import { OperatorRequests } from '../../../src/accounts/operator-requests';
import { PairingRelay } from '../../../src/accounts/pairing-relay';
import { SocketInputs } from '../../../src/accounts/socket-inputs';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteInstanceRegistry } from '../../../src/accounts/sqlite/instance-registry.sqlite';
import { SqliteSessionRepository } from '../../../src/accounts/sqlite/session.repository.sqlite';
import { Clock } from '../../../src/common/clock';
import { AppConfig } from '../../../src/config/app-config';
import { ThreadIdentity } from '../../../src/messaging/thread-identity';
import { ThreadRepository } from '../../../src/messaging/thread.repository';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { ProviderEventBus } from '../../../src/whatsapp/provider-event-bus';
import { ProviderConnection, WhatsAppProvider } from '../../../src/whatsapp/whatsapp-provider';
import { eventually } from '../../support/eventually';
import { account } from '../../support/sends';

const dir = mkdtempSync(join(tmpdir(), 'wa-pauses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sockets that never open: only the holding and the pause matter here. */
class IdleProvider extends WhatsAppProvider {
  open(): ProviderConnection {
    return { on: () => undefined, send: async () => undefined, requestPairingCode: async () => 'ABCD1234', downloadMedia: async () => Promise.reject(new Error('no media here')), logout: async () => undefined, close: async () => undefined };
  }

  newMessageId(): string {
    return '3EB0AAAAAAAAAAAAAAAAAA';
  }
}

/** One instance's accounts module on the shared file, as a process holds it. */
function instance(workerId: string, file: string) {
  const store = SqliteStore.open(join(dir, file));
  const accounts = new SqliteAccountRepository(store, new SqliteAccountSends(store));
  const clock = new Clock();
  const config = {
    accountLeaseMs: 30_000,
    accountCapacity: 10,
    owner: `${workerId}/a`,
    workerId,
    pauses: { rateOverlimitMs: 60_000, rateOverlimitMaxMs: 900_000, reachOutLockMs: 3_600_000 },
  } as AppConfig;
  const metrics = new MetricsRecorder();
  const inputs = new SocketInputs(new SqliteSessionRepository(store), {} as ThreadRepository, {} as ThreadIdentity, metrics);
  const connections = new AccountConnections(new IdleProvider(), accounts, inputs, new ProviderEventBus(metrics), clock, metrics, config);
  const pauses = new AccountPauses(connections, accounts, clock, config, metrics);
  const pairing = new PairingRelay(accounts, connections, clock, config);
  const ownership = new AccountOwnership(accounts, connections, config, clock, pairing, new OperatorRequests(connections), new SqliteInstanceRegistry(store), new AccountDrains(), pauses);
  return { store, accounts, connections, pauses, ownership };
}

describe('pauses for WhatsApp limits on a real store', () => {
  it('a paused account handed to another instance stays paused there to the same end, and that instance resumes it by itself', async () => {
    const first = instance('w1', 'handover.db');
    await first.accounts.create(account('acc1'));
    await first.ownership.tick();
    const until = Date.now() + 800;
    await first.pauses.pause('acc1', { reason: 'reach_out_locked', until });
    expect(first.connections.get('acc1')!.isPaused(Date.now())).toBe(true);
    await first.connections.release('acc1');

    const second = instance('w2', 'handover.db');
    await second.ownership.tick();
    const taken = second.connections.get('acc1')!;
    expect(taken.holding.owner).toBe('w2/a');
    expect([taken.isPaused(Date.now()), taken.pausedUntil, taken.pauseReason]).toEqual([true, until, 'reach_out_locked']);

    const resumed = await eventually(() => second.accounts.get('acc1'), (a) => a?.pausedUntil === null, 5_000);
    expect(resumed).toMatchObject({ pausedUntil: null, pauseReason: null, owner: 'w2/a' });
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect(taken.isPaused(Date.now())).toBe(false);
    const statuses = second.store.statement("SELECT subject FROM events WHERE account_id = 'acc1' AND type = 'account.status' ORDER BY seq").all() as Array<{ subject: string }>;
    const pauses = statuses.map((e) => (JSON.parse(e.subject) as { account: { pausedUntil: string | null } }).account.pausedUntil);
    // The hand-over's own status changes carry the pause too: what must show is the pause, then its end.
    const changes = pauses.filter((value, i) => i === 0 || value !== pauses[i - 1]);
    expect(changes.slice(changes.findIndex((value) => value !== null))).toEqual([new Date(until).toISOString(), null]);
    await second.connections.release('acc1');
    first.store.close();
    second.store.close();
  });

  it('a limit met again while paused does not start the pause over; only a later end WhatsApp gives moves it', async () => {
    const holder = instance('w3', 'repeat.db');
    await holder.accounts.create(account('acc2'));
    await holder.ownership.tick();
    await holder.pauses.pause('acc2', { reason: 'rate_overlimit', until: null });
    const first = (await holder.accounts.get('acc2'))!.pausedUntil!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await holder.pauses.pause('acc2', { reason: 'rate_overlimit', until: null });
    expect((await holder.accounts.get('acc2'))!.pausedUntil).toBe(first);
    await holder.pauses.pause('acc2', { reason: 'reach_out_locked', until: first + 60_000 });
    expect(await holder.accounts.get('acc2')).toMatchObject({ pausedUntil: first + 60_000, pauseReason: 'reach_out_locked' });
    await holder.connections.release('acc2');
    holder.store.close();
  });
});
