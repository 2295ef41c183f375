import {
  isHostedLidUser,
  isHostedPnUser,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  toNumber,
  type LIDMapping,
} from '@whiskeysockets/baileys';
import { WA_MESSAGE_ID_PATTERN } from '../../../common/ids';
import { isClientJid } from '../../../common/jid';
import type { LidMapping } from '../../whatsapp-provider';

/** A protobuf timestamp as Baileys types it: a number or a `Long`. */
export type ProtoTimestamp = Parameters<typeof toNumber>[0];

/** Provider fields are checked here before they leave `src/whatsapp/`; each check answers undefined when it fails. */

export function isWaMessageId(id: unknown): id is string {
  return typeof id === 'string' && WA_MESSAGE_ID_PATTERN.test(id);
}

/**
 * A JID from a Baileys event in thread form: no device or agent (`jidNormalizedUser`), hosted forms written
 * as their plain server (what Baileys' `cleanMessage` does for received messages), and then one of the
 * forms a thread can be about (`isClientJid`, the app's own rule).
 */
export function normalizeProviderJid(jid: string | null | undefined): string | undefined {
  if (typeof jid !== 'string' || jid.length > 128) return undefined;
  let normalized: string;
  if (isHostedPnUser(jid) || isHostedLidUser(jid)) {
    normalized = `${jidDecode(jid)?.user}@${isHostedPnUser(jid) ? 's.whatsapp.net' : 'lid'}`;
  } else {
    normalized = jidNormalizedUser(jid);
  }
  return isClientJid(normalized) ? normalized : undefined;
}

/** `messageTimestamp` and receipt times are epoch seconds, as a number or a protobuf Long. */
export function epochMsOf(seconds: ProtoTimestamp | string): number | undefined {
  const value = typeof seconds === 'string' ? Number(seconds) : toNumber(seconds);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return Math.round(value * 1000);
}

/** The account's own phone number from `sock.user.id` (`40712345678:12@s.whatsapp.net`). */
export function phoneOfUserJid(jid: string | null | undefined): string | null {
  const normalized = normalizeProviderJid(jid);
  return normalized && isPnUser(normalized) ? normalized.slice(0, normalized.indexOf('@')) : null;
}

/** A pair of JIDs for one contact, in either order, as a LID mapping when one is a LID and the other a phone number. */
export function lidMappingOf(first: string | null | undefined, second: string | null | undefined): LidMapping | undefined {
  const a = normalizeProviderJid(first);
  const b = normalizeProviderJid(second);
  if (!a || !b) return undefined;
  if (isLidUser(a) && isPnUser(b)) return { lid: a, pn: b };
  if (isPnUser(a) && isLidUser(b)) return { lid: b, pn: a };
  return undefined;
}

export function lidMappingFromBaileys(mapping: LIDMapping | null | undefined): LidMapping | undefined {
  const lid = normalizeProviderJid(mapping?.lid);
  const pn = normalizeProviderJid(mapping?.pn);
  return lid && pn && isLidUser(lid) && isPnUser(pn) ? { lid, pn } : undefined;
}
