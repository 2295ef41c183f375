import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AccountSummaries, SUMMARY_TTL_MS } from '../../../src/account-summary/account-summary.service';
import { SqliteAccountActivity } from '../../../src/account-summary/sqlite/account-activity.sqlite';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { FakeClock } from '../../support/fake-clock';
import { acceptedSend, account } from '../../support/sends';

const dir = mkdtempSync(join(tmpdir(), 'wa-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summariesOn(store: SqliteStore, clock: FakeClock): AccountSummaries {
  return new AccountSummaries(new SqliteAccountRepository(store, new SqliteAccountSends(store)), new SqliteOutboxRepository(store), new SqliteAccountActivity(store), clock);
}

describe('account summaries on sqlite', () => {
  it('reads the store once per account per 10 s: a change within them shows only after', async () => {
    const store = SqliteStore.open(join(dir, 'cache.db'));
    const clock = new FakeClock();
    const summaries = summariesOn(store, clock);
    const outbox = new SqliteOutboxRepository(store);
    await new SqliteAccountRepository(store, new SqliteAccountSends(store)).create(account('acc1'));
    await outbox.accept(acceptedSend({ accountId: 'acc1', now: 1_000 }));

    const [first, concurrent] = await Promise.all([summaries.summaryOf('acc1'), summaries.summaryOf('acc1')]);
    await outbox.accept(acceptedSend({ accountId: 'acc1', clientJid: '40799999999@s.whatsapp.net', now: 2_000 }));
    clock.advance(SUMMARY_TTL_MS - 1);
    const cached = await summaries.summaryOf('acc1');
    clock.advance(1);
    const fresh = await summaries.summaryOf('acc1');

    expect(concurrent).toBe(first);
    expect(cached).toBe(first);
    expect(first.outbox).toEqual({ queued: 1, processing: 0, failed: 0 });
    expect(first.lastMessages).toEqual({ inbound: null, outbound: 1_000 });
    expect(fresh.outbox).toEqual({ queued: 2, processing: 0, failed: 0 });
    expect(fresh.lastMessages.outbound).toBe(2_000);
    await store.close();
  });

  it('keeps no answer for an account that does not exist, so its creation shows at once', async () => {
    const store = SqliteStore.open(join(dir, 'missing.db'));
    const summaries = summariesOn(store, new FakeClock());
    await expect(summaries.summaryOf('later')).rejects.toThrow('does not exist');
    await new SqliteAccountRepository(store, new SqliteAccountSends(store)).create(account('later'));
    expect((await summaries.summaryOf('later')).account.accountId).toBe('later');
    await store.close();
  });
});
