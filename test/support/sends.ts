import { createHash, randomUUID } from 'node:crypto';
import { newAccount } from '../../src/accounts/account';
import { threadIdOf } from '../../src/common/jid';
import { AcceptedSend } from '../../src/messaging/send-acceptance';

let clock = Date.UTC(2026, 0, 1);

/** A send as the send service would hand it to the repository; overrides pin what a test cares about. */
export function acceptedSend(overrides: Partial<AcceptedSend> & { accountId: string }): AcceptedSend {
  const clientJid = overrides.clientJid ?? '40712345678@s.whatsapp.net';
  const text = overrides.text === undefined ? 'hello' : overrides.text;
  return {
    requestId: `req-${randomUUID()}`,
    threadId: threadIdOf(overrides.accountId, clientJid),
    clientJid,
    messageId: randomUUID().replaceAll('-', ''),
    waMessageId: `3EB0${randomUUID().replaceAll('-', '').slice(0, 18).toUpperCase()}`,
    text,
    requestHash: createHash('sha256').update(JSON.stringify([clientJid, text])).digest('hex'),
    now: ++clock,
    ...overrides,
  };
}

export function account(accountId: string, name: string | null = null) {
  return newAccount(accountId, name, ++clock);
}
