import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { ConnectionEvent, ProviderConnection, WhatsAppProvider } from '../whatsapp/whatsapp-provider';
import { AccountRecord, ConnectionPatch, pendingReset } from './account';
import { ProviderEventBus } from '../whatsapp/provider-event-bus';
import { AccountEnding, AccountRepository } from './account.repository';
import { reactionTo } from './connection-policy';
import { LiveAccount } from './live-account';
import { SocketInputs } from './socket-inputs';

/**
 * The sockets of the accounts this instance holds: opens them, reacts to each close as Baileys'
 * DisconnectReason says, and records the state in the account doc (fenced by the owner epoch).
 * After any close a socket is finished: a reconnect is always a new socket, and the old one is closed
 * with every listener and timer it had, so no event is handled twice.
 */
@Injectable()
export class AccountConnections {
  private readonly logger = new Logger('AccountConnections');
  private readonly live = new Map<string, LiveAccount>();

  constructor(
    private readonly provider: WhatsAppProvider,
    private readonly accounts: AccountRepository,
    private readonly inputs: SocketInputs,
    private readonly events: ProviderEventBus,
    private readonly clock: Clock,
    private readonly metrics: MetricsRecorder,
    config: AppConfig,
  ) {
    // Close before the lease ends even with some clock skew between instances: a sixth of the lease.
    this.deadlineMarginMs = Math.floor(config.accountLeaseMs / 6);
  }

  private readonly deadlineMarginMs: number;

  held(): LiveAccount[] {
    return [...this.live.values()];
  }

  get(accountId: string): LiveAccount | undefined {
    return this.live.get(accountId);
  }

  /** The open socket of an account this instance holds: the epoch to fence writes by, the lease's end, the phone it is linked to. */
  connectionFor(accountId: string): { connection: ProviderConnection; ownerEpoch: number; leaseUntil: number; phone: string | null } | undefined {
    const live = this.live.get(accountId);
    return live?.connected && live.connection ? { connection: live.connection, ownerEpoch: live.holding.ownerEpoch, leaseUntil: live.leaseUntil, phone: live.phone } : undefined;
  }

  /**
   * A freshly claimed account: open its socket (a stored session reconnects without a new QR). With a
   * reset pending, the socket waits: the reset is the new holder's to perform first (OperatorRequests),
   * and it opens the socket once the session is cleared.
   */
  adopt(account: AccountRecord): LiveAccount {
    const live = new LiveAccount({ accountId: account.accountId, owner: account.owner!, ownerEpoch: account.ownerEpoch }, account.leaseUntil!);
    this.live.set(account.accountId, live);
    this.extendLease(live, account.leaseUntil!);
    this.logger.log({ accountId: account.accountId, ownerEpoch: account.ownerEpoch }, 'account taken');
    this.metrics.leaseTaken();
    if (pendingReset(account) === null) this.open(live);
    return live;
  }

  /** The lease now runs to `leaseUntil`: move the local deadline with it. */
  extendLease(live: LiveAccount, leaseUntil: number): void {
    live.armDeadline(leaseUntil, this.deadlineMarginMs, this.clock.now(), () => void this.drop(live.accountId, 'lease not renewed in time'));
  }

  /** The lease is gone (another instance holds it, or it ran out): close at once, write nothing. */
  async drop(accountId: string, why: string): Promise<void> {
    const live = this.live.get(accountId);
    if (!live) return;
    this.forget(live);
    this.logger.warn({ accountId, why }, 'account lost; socket closed');
    this.metrics.leaseLost(why);
    await this.closeSocket(live);
  }

  /** Gives the account back (shutdown, capacity): close, then clear the lease so another instance takes it at once. */
  async release(accountId: string): Promise<void> {
    const live = this.live.get(accountId);
    if (!live) return;
    this.forget(live);
    await this.closeSocket(live);
    const now = this.clock.now();
    await this.accounts.release(live.holding, { status: 'disconnected', lastDisconnectReason: 'released', lastDisconnectAt: now, updatedAt: now });
  }

  /**
   * Operator: close and reopen, also after a stop such as a replaced connection; then the request made
   * at `requestedAt` is recorded done. After each wait the account must still be this same holding's.
   */
  async reconnect(live: LiveAccount, requestedAt: number): Promise<void> {
    if (!this.holds(live)) return;
    live.stopped = false;
    live.closesInRow = 0;
    this.metrics.reconnectRequested();
    await this.closeSocket(live);
    if (!this.holds(live)) return;
    this.open(live);
    if (!(await this.accounts.completeRequest(live.holding, 'reconnect', requestedAt))) await this.drop(live.accountId, 'holding no longer current');
  }

  /**
   * Operator: log the device out, then one fenced ending (session cleared, waiting sends failed, the
   * account never linked, the request done), then start linking again (QR). Should the ending fail, the
   * socket still opens and the request stays pending: the next renewal performs it.
   */
  async reset(live: LiveAccount, requestedAt: number): Promise<void> {
    if (!this.holds(live)) return;
    try {
      await this.endSession(live, { reason: 'accountReset', patch: { ...this.endedPatch('accountReset'), phone: null }, release: false, resetRequestedAt: requestedAt });
    } finally {
      // A failed ending leaves no socket: open one anyway (the request stays pending); a fenced one dropped the account.
      if (this.holds(live)) {
        live.stopped = false;
        live.closesInRow = 0;
        this.open(live);
      }
    }
  }

  /** The account is being deleted: log out, clear the session, fail what waits, let go. */
  async remove(accountId: string): Promise<void> {
    const live = this.live.get(accountId);
    if (!live) return;
    live.stopped = true;
    await this.endSession(live, { reason: 'accountDeleted', patch: this.endedPatch('accountDeleted'), release: true, resetRequestedAt: null });
    this.forget(live);
  }

  async requestPairingCode(accountId: string, phoneNumber: string): Promise<string | undefined> {
    const connection = this.live.get(accountId)?.connection;
    return connection ? connection.requestPairingCode(phoneNumber) : undefined;
  }

  private open(live: LiveAccount): void {
    live.cancelReconnect();
    const connection = this.provider.open(this.inputs.for(live, () => this.drop(live.accountId, 'session write fenced out')));
    live.connection = connection;
    live.connected = false;
    live.showingQr = false;
    connection.on('connection', (event) => void this.onConnection(live, connection, event).catch((error) => this.failed(live, error)));
    connection.on('message', (message) => this.events.emit('message', live.accountId, message));
    connection.on('receipt', (receipt) => this.events.emit('receipt', live.accountId, receipt));
    connection.on('lidMapping', (mapping) => this.events.emit('lidMapping', live.accountId, mapping));
  }

  private async onConnection(live: LiveAccount, connection: ProviderConnection, event: ConnectionEvent): Promise<void> {
    if (live.connection !== connection || this.live.get(live.accountId) !== live) return; // an old socket's last words
    const now = this.clock.now();
    switch (event.type) {
      case 'connecting':
        return this.record(live, { status: 'connecting', updatedAt: now });
      case 'qr':
        live.showingQr = true;
        return this.record(live, { status: 'qr', qr: event.qr, qrAt: now, updatedAt: now });
      case 'open':
        live.connected = true;
        live.phone = event.phone;
        live.closesInRow = 0;
        // Linked: the login QR and any pairing code have served their purpose.
        await this.record(live, { status: 'connected', phone: event.phone, connectedAt: now, qr: null, qrAt: null, pairingCode: null, updatedAt: now });
        this.events.emit('connected', live.accountId);
        return;
      case 'close':
        return this.onClose(live, event, now);
    }
  }

  private async onClose(live: LiveAccount, event: Extract<ConnectionEvent, { type: 'close' }>, now: number): Promise<void> {
    // WhatsApp offers a socket six login QRs; Baileys ends an unscanned one with 408 (its `timedOut`).
    // That is no failure: the next socket shows a new QR after the first backoff step, never a longer one.
    const qrExpired = live.showingQr && event.statusCode === 408;
    const reason = qrExpired ? 'timedOut' : event.reason;
    live.closesInRow = qrExpired ? 1 : live.closesInRow + 1;
    await this.closeSocket(live);
    const reaction = reactionTo(reason, live.closesInRow);
    this.logger.warn({ accountId: live.accountId, reason, statusCode: event.statusCode, reaction: reaction.kind }, 'socket closed');
    this.metrics.socketClosed(reason, reaction.kind);
    const closed: ConnectionPatch = { status: 'disconnected', lastDisconnectReason: reason, lastDisconnectAt: now, qr: null, qrAt: null, updatedAt: now };
    if (reaction.kind === 'logged-out') {
      this.forget(live);
      // The phone stays: sends accepted once an operator asks to link again are for that phone.
      await this.accounts.end(live.holding, { reason: 'loggedOut', patch: { ...closed, status: 'logged_out' }, release: true, resetRequestedAt: null });
      return;
    }
    await this.record(live, closed);
    if (reaction.kind === 'stop') {
      live.stopped = true;
      return;
    }
    live.reconnectTimer = setTimeout(() => {
      live.reconnectTimer = null;
      if (this.live.get(live.accountId) === live && !live.stopped) this.open(live);
    }, reaction.delayMs);
  }

  /** Logs the device out and closes the socket, then the fenced ending; false (and the account dropped) when no longer held. */
  private async endSession(live: LiveAccount, ending: AccountEnding): Promise<boolean> {
    const connection = live.connection;
    live.connection = null;
    live.connected = false;
    live.cancelReconnect();
    if (connection) await connection.logout().catch((error: unknown) => this.logger.warn({ accountId: live.accountId, err: error }, 'logout failed; closing'));
    await connection?.close();
    // Lost while logging out: the ending is the next holder's (a pending reset stays pending).
    if (!this.holds(live)) return false;
    if (!(await this.accounts.end(live.holding, { ...ending, patch: { ...ending.patch, updatedAt: this.clock.now() } }))) {
      await this.drop(live.accountId, 'holding no longer current');
      return false;
    }
    return true;
  }

  private endedPatch(reason: AccountEnding['reason']): ConnectionPatch {
    const now = this.clock.now();
    return { status: 'disconnected', lastDisconnectReason: reason, lastDisconnectAt: now, qr: null, qrAt: null, updatedAt: now };
  }

  /** Still this instance's, under the same holding (and so the same epoch), not dropped, released or removed. */
  private holds(live: LiveAccount): boolean {
    return this.live.get(live.accountId) === live;
  }

  private forget(live: LiveAccount): void {
    this.live.delete(live.accountId);
    live.disarmDeadline();
    // The record keeps the pause: the next holder resumes it (AccountPauses.adopted).
    live.endPause();
  }

  private async closeSocket(live: LiveAccount): Promise<void> {
    live.cancelReconnect();
    const connection = live.connection;
    live.connection = null;
    live.connected = false;
    await connection?.close();
  }

  private async record(live: LiveAccount, patch: ConnectionPatch): Promise<void> {
    if (!(await this.accounts.recordConnection(live.holding, patch))) await this.drop(live.accountId, 'holding no longer current');
  }

  /** Not retried: the account record shows the older state until the next connection event writes it. */
  private failed(live: LiveAccount, error: unknown): void {
    this.metrics.providerEventFailed('connection');
    this.logger.error({ accountId: live.accountId, err: error }, 'connection event handling failed');
  }
}
