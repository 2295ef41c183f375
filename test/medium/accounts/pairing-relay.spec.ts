import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccountConnections } from '../../../src/accounts/account-connections.service';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { LiveAccount } from '../../../src/accounts/live-account';
import { PairingRelay } from '../../../src/accounts/pairing-relay';
import { NoAnswerInTime } from '../../../src/common/errors';
import { AppConfig } from '../../../src/config/app-config';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { FakeClock } from '../../support/fake-clock';
import { account } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

const LEASE_MS = 3_000;
const dir = mkdtempSync(join(tmpdir(), 'wa-pairing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** WhatsApp as the holder's socket sees it: every code request makes a new code (the last one asked is the valid one). */
function holderSocket() {
  const asked: string[] = [];
  const connections = {
    requestPairingCode: async (_accountId: string, phoneNumber: string) => {
      asked.push(phoneNumber);
      return `CODE${String(asked.length).padStart(4, '0')}`;
    },
  } as unknown as AccountConnections;
  return { connections, asked };
}

/** Two instances on one file: `w1/a` asks, `w2/b` holds acc1. */
async function twoInstances() {
  const store = SqliteStore.open(join(dir, `pairing-${++n}.db`));
  const accounts = new SqliteAccountRepository(store, new SqliteAccountSends(store));
  const clock = new FakeClock(Date.now());
  const config = { accountLeaseMs: LEASE_MS } as AppConfig;
  await accounts.create(account('acc1'));
  const [held] = await accounts.claimUnowned('w2/b', clock.now(), LEASE_MS, 10);
  const holding = { accountId: 'acc1', owner: 'w2/b', ownerEpoch: held.ownerEpoch };
  const socket = holderSocket();
  const asker = new PairingRelay(accounts, { requestPairingCode: async () => undefined } as unknown as AccountConnections, clock, config);
  const holder = new PairingRelay(accounts, socket.connections, clock, config);
  const live = new LiveAccount(holding, clock.now() + LEASE_MS);
  /** What the holder's next renewal does: read the account back with the lease, then answer. */
  const renewal = async () => {
    const [renewed] = await accounts.renew([holding], clock.now() + LEASE_MS);
    holder.answer(live, renewed);
  };
  return { store, accounts, clock, asker, holder, renewal, asked: socket.asked, current: () => accounts.get('acc1') };
}

describe('a pairing code asked on an instance that does not hold the account', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it("is answered with the holder's code at its next renewal, WhatsApp asked once per request", async () => {
    const instances = await twoInstances();
    const asking = instances.asker.ask((await instances.current())!, '40712345678');
    await vi.advanceTimersByTimeAsync(1_000);
    await instances.renewal();
    await vi.advanceTimersByTimeAsync(500);
    expect(await asking).toBe('CODE0001');
    // Later renewals see the answered request: a second code would void the one the operator was given.
    await instances.renewal();
    await vi.advanceTimersByTimeAsync(500);
    expect(instances.asked).toEqual(['40712345678']);
    expect(await instances.current()).toMatchObject({ pairingCode: 'CODE0001', pairingPhone: '40712345678' });
    instances.store.close();
  });

  it('answers 503 naming the holder when no code comes within two renewals and WhatsApp’s allowance', async () => {
    const instances = await twoInstances();
    const asking = instances.asker.ask((await instances.current())!, '40712345678').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(instances.asker.waitMs + 500);
    const error = await asking;
    expect(error).toBeInstanceOf(NoAnswerInTime);
    expect(error).toMatchObject({ httpStatus: 503, message: expect.stringMatching(/^accountId: the instance holding "acc1" \(w2\/b\) gave no pairing code within \d+ ms; retry$/) });
    instances.store.close();
  });

  it('is not answered once its asker has stopped waiting', async () => {
    const instances = await twoInstances();
    await instances.accounts.requestPairing('acc1', '40712345678', instances.clock.now() - instances.holder.waitMs - 1);
    await instances.renewal();
    await vi.advanceTimersByTimeAsync(500);
    expect(instances.asked).toEqual([]);
    expect(await instances.current()).toMatchObject({ pairingCode: null });
    instances.store.close();
  });
});
