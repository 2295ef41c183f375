import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { threadIdOf } from '../common/jid';
import { ContactAliasRepository } from './contact-alias.repository';
import { ThreadRepository } from './thread.repository';

const isLid = (jid: string | null | undefined): jid is string => !!jid?.endsWith('@lid');
const isPn = (jid: string | null | undefined): jid is string => !!jid?.endsWith('@s.whatsapp.net');

/**
 * One thread per contact, whichever form WhatsApp addresses them by. The thread is named by the phone
 * number when it is known the first time the contact is seen, otherwise by its LID; once made, a thread
 * id never changes (it is a public path), and events in the other form reach it through the alias table.
 */
@Injectable()
export class ThreadIdentity {
  constructor(
    private readonly aliases: ContactAliasRepository,
    private readonly threads: ThreadRepository,
    private readonly clock: Clock,
  ) {}

  /** Remembers a pair WhatsApp told us (`lid-mapping.update`, or an event's alternate JID). */
  async pair(accountId: string, lid: string, pn: string): Promise<void> {
    await this.aliases.remember(accountId, lid, pn, this.clock.now());
  }

  /** The client JID of the thread for `jid` (normalised), using `altJid` (its other form) when the event carried it. */
  async clientJidOf(accountId: string, jid: string, altJid: string | null = null): Promise<string> {
    if (!isLid(jid) && !isPn(jid)) return jid; // groups keep the group JID
    let lid = isLid(jid) ? jid : isLid(altJid) ? altJid : undefined;
    let pn = isPn(jid) ? jid : isPn(altJid) ? altJid : undefined;
    if (lid && pn) await this.pair(accountId, lid, pn);
    else if (lid) pn = await this.aliases.pnOf(accountId, lid);
    else if (pn) lid = await this.aliases.lidOf(accountId, pn);
    if (!lid || !pn) return jid;
    if (await this.threads.getThread(threadIdOf(accountId, pn))) return pn;
    if (await this.threads.getThread(threadIdOf(accountId, lid))) return lid;
    return pn;
  }
}
