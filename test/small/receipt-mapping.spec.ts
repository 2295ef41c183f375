import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { movesForward } from '../../src/messaging/message-status';
import { PROVIDER_STATUS, statusFromProvider } from '../../src/receipts/receipt-mapping';

describe('PROVIDER_STATUS: the numbers of proto.WebMessageInfo.Status, without importing Baileys in src/receipts', () => {
  it.each(Object.entries(PROVIDER_STATUS))('%s is %i, as in Baileys', (name, value) => {
    expect(proto.WebMessageInfo.Status[name as keyof typeof proto.WebMessageInfo.Status]).toBe(value);
  });
});

describe('statusFromProvider: a provider status to the message status it proves', () => {
  it.each([
    ['ERROR: WhatsApp rejected the send', 0, 'failed'],
    ['SERVER_ACK: WhatsApp has it', 2, 'sent'],
    ['DELIVERY_ACK: it reached the phone', 3, 'delivered'],
    ['READ', 4, 'read'],
    ['PLAYED: a voice note was listened to', 5, 'played'],
  ] as const)('%s (%i) is %s', (_behaviour, providerStatus, status) => {
    expect(statusFromProvider(providerStatus)).toBe(status);
  });

  it.each([
    ['PENDING: the frame only left this machine', 1],
    ['a status above PLAYED', 6],
    ['a negative status', -1],
    ['a fractional status', 2.5],
    ['NaN', Number.NaN],
  ])('%s proves nothing (%d)', (_behaviour, providerStatus) => {
    expect(statusFromProvider(providerStatus)).toBeNull();
  });

  it.each([
    ['queued', true],
    ['sent', true],
    ['delivered', false],
    ['read', false],
  ] as const)('an ERROR then fails a %s message: %s (forward-only)', (current, fails) => {
    expect(movesForward(current, statusFromProvider(PROVIDER_STATUS.ERROR)!)).toBe(fails);
  });
});
