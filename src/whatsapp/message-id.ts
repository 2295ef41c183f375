import { generateMessageIDV2 } from '@whiskeysockets/baileys';

/**
 * A WhatsApp message id in the format Baileys itself generates (`3EB0` + 18 hex digits), made at accept
 * time so that every attempt of one outbox item, even a resend after a crash, is the same message.
 */
export function newWaMessageId(): string {
  return generateMessageIDV2();
}
