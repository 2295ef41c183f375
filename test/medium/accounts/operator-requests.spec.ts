import { AccountPauses } from '../../../src/accounts/account-pauses.service';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketInputs } from '../../../src/accounts/socket-inputs';
import { AccountConnections } from '../../../src/accounts/account-connections.service';
import { ProviderEventBus } from '../../../src/whatsapp/provider-event-bus';
import { AccountOwnership } from '../../../src/accounts/account-ownership.service';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { OperatorRequests } from '../../../src/accounts/operator-requests';
import { PairingRelay } from '../../../src/accounts/pairing-relay';
import { SqliteSessionRepository } from '../../../src/accounts/sqlite/session.repository.sqlite';
import { AppConfig } from '../../../src/config/app-config';
import { ThreadIdentity } from '../../../src/messaging/thread-identity';
import { ThreadRepository } from '../../../src/messaging/thread.repository';
import { MetricsRecorder } from '../../../src/metrics/metrics-recorder';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { ProviderConnection, WhatsAppProvider } from '../../../src/whatsapp/whatsapp-provider';
import { FakeClock } from '../../support/fake-clock';
import { account } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';
import { AccountDrains } from '../../../src/accounts/account-drains';
import { SqliteInstanceRegistry } from '../../../src/accounts/sqlite/instance-registry.sqlite';

const LEASE_MS = 30_000;
const dir = mkdtempSync(join(tmpdir(), 'wa-operator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A provider whose sockets never open and whose logout waits until the test lets it go. */
class StallingProvider extends WhatsAppProvider {
  readonly opened: string[] = [];
  private release!: () => void;
  readonly logoutGate = new Promise<void>((resolve) => (this.release = resolve));
  private started!: () => void;
  /** Resolves once a logout has begun (and waits at the gate). */
  readonly loggingOut = new Promise<void>((resolve) => (this.started = resolve));

  open(options: { accountId: string }): ProviderConnection {
    this.opened.push(options.accountId);
    return { on: () => undefined, send: async () => undefined, requestPairingCode: async () => 'ABCD1234', downloadMedia: async () => Promise.reject(new Error('no media here')), logout: () => (this.started(), this.logoutGate), close: async () => undefined };
  }

  newMessageId(): string {
    return '3EB0AAAAAAAAAAAAAAAAAA';
  }

  letLogoutFinish(): void {
    this.release();
  }
}

function instance() {
  const store = SqliteStore.open(join(dir, `operator-${++n}.db`));
  const accounts = new SqliteAccountRepository(store, new SqliteAccountSends(store));
  const sessions = new SqliteSessionRepository(store);
  const provider = new StallingProvider();
  const clock = new FakeClock(Date.now());
  const config = { accountLeaseMs: LEASE_MS, accountCapacity: 10, owner: 'w1/a', workerId: 'w1' } as AppConfig;
  const metrics = new MetricsRecorder();
  const connections = new AccountConnections(
    provider,
    accounts,
    new SocketInputs(sessions, {} as ThreadRepository, {} as ThreadIdentity, metrics),
    new ProviderEventBus(metrics),
    clock,
    metrics,
    config,
  );
  const requests = new OperatorRequests(connections);
  const ownership = new AccountOwnership(accounts, connections, config, clock, new PairingRelay(accounts, connections, clock, config), requests, new SqliteInstanceRegistry(store), new AccountDrains(), new AccountPauses(connections, accounts, clock, config, metrics));
  return { store, accounts, sessions, provider, clock, connections, requests, ownership };
}

describe('operator requests on the holding instance', () => {
  it('opens no socket after a reset whose logout outlasted the hold on the account, and leaves the reset to the next holder', async () => {
    const { store, accounts, sessions, provider, clock, connections, requests, ownership } = instance();
    await accounts.create(account('acc1'));
    await ownership.tick();
    const live = connections.get('acc1')!;
    await sessions.write(live.holding, new Map([['creds', '{}']]));
    expect(await accounts.requestAction('acc1', 'reset', clock.now())).toBe(true);

    const resetting = requests.perform(live, 'reset', clock.now());
    await provider.loggingOut;
    await connections.drop('acc1', 'lease lost while logging out');
    provider.letLogoutFinish();
    await resetting;

    expect(provider.opened).toEqual(['acc1']);
    expect(connections.get('acc1')).toBeUndefined();
    // Nothing ended: the session stays and the reset is still pending for whoever holds the account next.
    expect((await sessions.read('acc1', ['creds'])).size).toBe(1);
    expect(await accounts.get('acc1')).toMatchObject({ resetDoneFor: null });
    store.close();
  });

  it("renews every other account's lease while a reset waits on a slow logout", async () => {
    const { store, accounts, provider, clock, connections, ownership } = instance();
    await accounts.create(account('slow'));
    await accounts.create(account('other'));
    await ownership.tick();
    expect(await accounts.requestAction('slow', 'reset', clock.now())).toBe(true);

    clock.advance(LEASE_MS / 3);
    await ownership.tick(); // takes the reset up; its logout stalls
    clock.advance(LEASE_MS / 3);
    await ownership.tick();

    expect((await accounts.get('other'))!.leaseUntil).toBe(clock.now() + LEASE_MS);
    expect((await accounts.get('slow'))!.leaseUntil).toBe(clock.now() + LEASE_MS);
    expect(connections.get('slow')!.connection).toBeNull();
    provider.letLogoutFinish();
    await connections.get('slow')!.operatorJob;
    expect(await accounts.get('slow')).toMatchObject({ resetDoneFor: expect.any(Number), lastDisconnectReason: 'accountReset' });
    expect(provider.opened.filter((id) => id === 'slow')).toHaveLength(2);
    store.close();
  });
});
