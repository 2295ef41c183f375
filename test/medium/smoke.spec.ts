import { describe, expect, it } from 'vitest';
import { recipientToJid } from '../../src/common/jid';

describe('smoke', () => {
  it('loads baileys and normalises', async () => {
    const baileys = await import('@whiskeysockets/baileys');
    expect(typeof baileys.makeWASocket).toBe('function');
    expect(recipientToJid('+40 712 345 678')).toBe('40712345678@s.whatsapp.net');
  });
});
