import { Injectable } from '@nestjs/common';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ThreadIdentity } from '../messaging/thread-identity';
import { ThreadRepository } from '../messaging/thread.repository';
import { OpenOptions, SessionStore } from '../whatsapp/whatsapp-provider';
import { LiveAccount } from './live-account';
import { SessionFenced, SessionRepository } from './session.repository';

/** What a held account's socket is given to work with: its session, fenced by the holding, and our own sent messages. */
@Injectable()
export class SocketInputs {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly threads: ThreadRepository,
    private readonly identity: ThreadIdentity,
    private readonly metrics: MetricsRecorder,
  ) {}

  /** `fencedOut` runs when a session write finds another instance holding the account. */
  for(live: LiveAccount, fencedOut: () => Promise<void>): OpenOptions {
    return {
      accountId: live.accountId,
      session: this.sessionStoreFor(live, fencedOut),
      getMessageText: (chatJid, waMessageId) => this.ownMessageText(live.accountId, chatJid, waMessageId),
    };
  }

  private sessionStoreFor(live: LiveAccount, fencedOut: () => Promise<void>): SessionStore {
    return {
      read: (keys) => this.sessions.read(live.accountId, keys),
      write: (changes) =>
        this.sessions.write(live.holding, changes).catch(async (error: unknown) => {
          // Another instance holds the account now: our socket must not run a minute longer.
          if (error instanceof SessionFenced) await fencedOut();
          // Counted, then thrown back: Baileys awaits key writes itself; a creds write is logged by the
          // socket and the next creds.update writes the whole creds again.
          else this.metrics.providerEventFailed('session_write');
          throw error;
        }),
      clear: () => this.sessions.clear(live.accountId),
    };
  }

  /** For a recipient's retry request: our own message, by account, chat and id — never the id alone. */
  private async ownMessageText(accountId: string, chatJid: string, waMessageId: string): Promise<string | undefined> {
    const message = await this.threads.findByWaMessageId(accountId, 'outbound', waMessageId);
    if (!message || message.text === null) return undefined;
    // The requester may name the contact by its other form (LID or phone number) than the thread's.
    const sameChat = message.clientJid === chatJid || message.clientJid === (await this.identity.clientJidOf(accountId, chatJid));
    return sameChat ? message.text : undefined;
  }
}
