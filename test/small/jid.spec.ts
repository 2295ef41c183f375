import { describe, expect, it } from 'vitest';
import { isClientJid, normalizeJid, parseThreadId, recipientToJid, threadIdOf } from '../../src/common/jid';

describe('normalizeJid: one thread form per client', () => {
  it.each([
    ['40712345678@s.whatsapp.net', '40712345678@s.whatsapp.net'],
    ['40712345678:17@s.whatsapp.net', '40712345678@s.whatsapp.net'],
    ['40712345678@c.us', '40712345678@s.whatsapp.net'],
    ['123456789012345_1:3@lid', '123456789012345@lid'],
    ['120363012345678901@g.us', '120363012345678901@g.us'],
    // E.164 digits never start with 0: no WhatsApp user has this JID, and accepted it would be a second
    // thread beside 40712345678@s.whatsapp.net for the same client.
    ['040712345678@s.whatsapp.net', undefined],
    ['040712345678:3@s.whatsapp.net', undefined],
    ['040712345678@c.us', undefined],
    ['0123456789012345@lid', undefined],
    ['status@broadcast', undefined],
    ['acme__40712345678@s.whatsapp.net', undefined],
    ['', undefined],
  ])('%j → %j', (jid, expected) => {
    expect(normalizeJid(jid)).toBe(expected);
    if (expected) expect(isClientJid(expected)).toBe(true);
  });
});

describe('recipientToJid: the `to` of a send', () => {
  it.each([
    ['40712345678', '40712345678@s.whatsapp.net'],
    ['+40 712 345 678', '40712345678@s.whatsapp.net'],
    ['40712345678@s.whatsapp.net', '40712345678@s.whatsapp.net'],
    ['40712345678:4@s.whatsapp.net', '40712345678@s.whatsapp.net'],
  ])('%j → %j', (to, expected) => {
    expect(recipientToJid(to)).toBe(expected);
  });

  it.each([
    ['0712345678', /must start with the country code, not 0/],
    ['040712345678@s.whatsapp.net', /must start with the country code, not 0/],
    ['040712345678@c.us', /must start with the country code, not 0/],
    ['status@broadcast', /user, LID or group JID/],
  ])('refuses %j naming the field and the reason', (to, reason) => {
    expect(() => recipientToJid(to)).toThrow(reason);
  });
});

describe('thread ids split at their last `__`', () => {
  it.each([
    ['acc1', '40712345678@s.whatsapp.net'],
    ['acme_', '40712345678@s.whatsapp.net'],
    ['a_b_', '123456789012345@lid'],
    ['acme', '120363012345678901@g.us'],
  ])('%s + %s round-trips', (accountId, clientJid) => {
    expect(parseThreadId(threadIdOf(accountId, clientJid))).toEqual({ accountId, clientJid });
  });

  it.each(['acme__', '__40712345678@s.whatsapp.net', 'acme', 'a__b__40712345678@s.whatsapp.net', 'acme___040712345678@s.whatsapp.net'])('refuses %j', (threadId) => {
    expect(() => parseThreadId(threadId)).toThrow(/threadId/);
  });
});
