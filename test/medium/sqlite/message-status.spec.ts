import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteAccountRepository } from '../../../src/accounts/sqlite/account.repository.sqlite';
import { SqliteThreadRepository } from '../../../src/messaging/sqlite/thread.repository.sqlite';
import { SqliteOutboxRepository } from '../../../src/outbox/sqlite/outbox.repository.sqlite';
import { SqliteMessageStatusRepository } from '../../../src/receipts/sqlite/message-status.repository.sqlite';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';
import { acceptedSend, account } from '../../support/sends';
import { SqliteAccountSends } from '../../../src/outbox/sqlite/account-sends.sqlite';

describe('MessageStatusRepository on sqlite', () => {
  it('clears the migration\'s "uncertain" mark once a real receipt raises the status, and keeps it otherwise', async () => {
    const store = SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'wa-status-')), 'db.sqlite'));
    await new SqliteAccountRepository(store, new SqliteAccountSends(store)).create(account('acc1'));
    const send = acceptedSend({ accountId: 'acc1' });
    await new SqliteOutboxRepository(store).accept(send);
    store.db.prepare("UPDATE messages SET status = 'delivered', status_rank = 3, status_uncertain = 1").run();
    const statuses = new SqliteMessageStatusRepository(store);
    const threads = new SqliteThreadRepository(store);
    const report = { accountId: 'acc1', direction: 'outbound' as const, waMessageId: send.waMessageId };
    expect(await statuses.advance({ ...report, status: 'sent', at: 1 })).toBe('unchanged');
    expect(await threads.getMessage(send.threadId, send.messageId)).toMatchObject({ status: 'delivered', statusUncertain: true, sentAt: 1 });
    expect(await statuses.advance({ ...report, status: 'read', at: 2 })).toBe('advanced');
    const message = await threads.getMessage(send.threadId, send.messageId);
    expect(message).toMatchObject({ status: 'read', readAt: 2 });
    expect(message!.statusUncertain).toBeUndefined();
    store.close();
  });
});
