import type { BaileysEventMap, BinaryNode } from '@whiskeysockets/baileys';
import type { DropReason, ProviderEventDrops } from '../provider-event-drops';
import type { ConnectionEvent, ProviderEventArgs } from '../whatsapp-provider';
import type { ExpiringCache } from './expiring-cache';
import type { PendingAcks } from './pending-acks';
import { connectionEventsOf } from './provider-events/connection-update';
import { lidMappingsOf, receiptsOfMessageUpdates, receiptsOfUserReceipts } from './provider-events/message-status';
import { messagesOfUpsert } from './provider-events/message-upsert';
import type { EventBus } from '../event-bus';
import type { SessionAuthState } from './session-auth-state';
import type { ProviderSocket, SocketLogger } from './socket-factory';

/** The raw frame of WhatsApp's server ack for a message we sent (Baileys' own `handleBadAck` listens to it too). */
export const MESSAGE_ACK_FRAME = 'CB:ack,class:message';

/** How long a `close` waits for creds writes in flight (see `closeAfterCredsWritten`). */
const CREDS_WAIT_MS = 5_000;

export interface SubscriptionTargets {
  listeners: EventBus<ProviderEventArgs>;
  acks: PendingAcks;
  groups: ExpiringCache;
  drops: ProviderEventDrops;
  logger: SocketLogger;
  onConnection(event: ConnectionEvent): void;
}

/**
 * Every listener one connection puts on its socket's `ev` and `ws`, each recorded with its remover, so
 * `detach()` takes off exactly what was added (a listener left on an old socket hears every event again).
 * After `detach()`, a Baileys event already being delivered is dropped by the `attached` check.
 */
export class SocketSubscriptions {
  private readonly removers: Array<() => void> = [];
  private attached = true;
  private credsWait: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: ProviderSocket,
    private readonly auth: SessionAuthState,
    private readonly to: SubscriptionTargets,
  ) {
    this.onEvent('connection.update', (update) => {
      for (const event of connectionEventsOf(update, socket.user)) {
        if (event.type === 'close') this.closeAfterCredsWritten(event);
        else to.onConnection(event);
      }
    });
    this.onEvent('creds.update', (update) => this.saveCreds(update));
    this.onEvent('messages.upsert', (upsert) => {
      const translated = messagesOfUpsert(upsert);
      this.count(translated.dropped);
      // Mappings first, so the alias table knows a contact's other form before its message is stored.
      for (const mapping of translated.lidMappings) to.listeners.emit('lidMapping', mapping);
      for (const message of translated.events) to.listeners.emit('message', message);
    });
    this.onEvent('messages.update', (updates) => this.emitReceipts(receiptsOfMessageUpdates(updates)));
    this.onEvent('message-receipt.update', (updates) => this.emitReceipts(receiptsOfUserReceipts(updates)));
    this.onEvent('lid-mapping.update', (mapping) => this.emitMappings([mapping]));
    // Only the small syncs are accepted (socket-config); their LID mappings are all we keep of them.
    this.onEvent('messaging-history.set', (history) => this.emitMappings(history.lidPnMappings ?? []));
    this.onEvent('groups.update', (updates) => updates.forEach((group) => group.id && to.groups.del(group.id)));
    this.onEvent('group-participants.update', (update) => to.groups.del(update.id));
    this.onFrame(MESSAGE_ACK_FRAME, (frame) => to.acks.settle(frame));
  }

  detach(): void {
    this.attached = false;
    clearTimeout(this.credsWait);
    for (const remove of this.removers.splice(0)) remove();
  }

  private onEvent<T extends keyof BaileysEventMap>(event: T, handle: (payload: BaileysEventMap[T]) => void): void {
    const listener = (payload: BaileysEventMap[T]) => {
      if (!this.attached) return;
      try {
        handle(payload);
      } catch (error) {
        this.to.logger.error({ err: error, event }, 'could not translate a Baileys event');
      }
    };
    this.socket.ev.on(event, listener);
    this.removers.push(() => this.socket.ev.off(event, listener));
  }

  private onFrame(event: string, handle: (frame: BinaryNode) => void): void {
    const listener = (frame: BinaryNode) => {
      if (this.attached) handle(frame);
    };
    this.socket.ws.on(event, listener);
    this.removers.push(() => this.socket.ws.off(event, listener));
  }

  /**
   * Baileys merges the update into the creds object it shares with us before we hear it; merging again
   * makes stand-in sockets behave the same. Then the whole creds are written.
   */
  private saveCreds(update: BaileysEventMap['creds.update']): void {
    Object.assign(this.auth.state.creds, update);
    this.auth.saveCreds().catch((error: unknown) => this.to.logger.error({ err: error }, 'could not save the session creds'));
  }

  /**
   * A first link ends with `restartRequired` right after its `creds.update`; the app reopens at once and
   * must read the linked creds, so `close` waits for the creds writes already started.
   */
  private closeAfterCredsWritten(event: ConnectionEvent): void {
    // Bounded: a store that hangs must not keep the app from hearing of the close.
    const waited = new Promise<void>((resolve) => {
      this.credsWait = setTimeout(resolve, CREDS_WAIT_MS);
    });
    void Promise.race([this.auth.credsWritten(), waited]).then(() => {
      clearTimeout(this.credsWait);
      if (this.attached) this.to.onConnection(event);
    });
  }

  private emitReceipts(translated: ReturnType<typeof receiptsOfMessageUpdates>): void {
    this.count(translated.dropped);
    for (const receipt of translated.events) this.to.listeners.emit('receipt', receipt);
  }

  private emitMappings(mappings: ReadonlyArray<BaileysEventMap['lid-mapping.update']>): void {
    const translated = lidMappingsOf(mappings);
    this.count(translated.dropped);
    for (const mapping of translated.events) this.to.listeners.emit('lidMapping', mapping);
  }

  private count(dropped: DropReason[]): void {
    if (dropped.length === 0) return;
    this.to.drops.count(dropped);
    this.to.logger.warn({ dropped }, 'dropped invalid provider events');
  }
}
