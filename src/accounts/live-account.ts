import { PauseReason, ProviderConnection } from '../whatsapp/whatsapp-provider';
import { Holding } from './account.repository';

/** This instance's hold on one account: the lease it renews and the socket it has open, if any. */
export class LiveAccount {
  connection: ProviderConnection | null = null;
  connected = false;
  /** The phone the open socket is linked to (from its `open` event): an item bound to another never goes out from it. */
  phone: string | null = null;
  /** The current socket has shown a login QR (so a 408 close is the QR's refs running out). */
  showingQr = false;
  /** Closes in a row since the last open: drives the reconnect backoff. */
  closesInRow = 0;
  reconnectTimer: NodeJS.Timeout | null = null;
  /** Fires before the lease can end if no renewal moved it: the socket closes by itself. */
  private deadlineTimer: NodeJS.Timeout | null = null;
  /** Replaced by another device or logged out: no socket until an operator asks. */
  stopped = false;
  /**
   * The operator requests (by their time) this holder has taken up, so a renewal that still reads one as
   * pending while it runs does not start it again. A new holder starts with none: it performs what is pending.
   */
  handledReconnectAt: number | null = null;
  handledResetAt: number | null = null;
  /** The operator job under way (see OperatorRequests); the next one waits for it. */
  operatorJob: Promise<void> = Promise.resolve();
  /** Being handed to another instance (above this instance's share): no new send is claimed for it. */
  handingOff = false;
  /** The pairing request (by its time) this instance has asked WhatsApp a code for. */
  handledPairingAt: number | null = null;
  /** WhatsApp's limits pause the account's sends until then (AccountPauses); null when not paused. */
  pausedUntil: number | null = null;
  pauseReason: PauseReason | null = null;
  private pauseTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly holding: Holding,
    public leaseUntil: number,
  ) {}

  get accountId(): string {
    return this.holding.accountId;
  }

  /** (Re)arms the local deadline at `leaseUntil - marginMs`; `onExpire` runs if no renewal comes first. */
  armDeadline(leaseUntil: number, marginMs: number, now: number, onExpire: () => void): void {
    this.leaseUntil = leaseUntil;
    this.disarmDeadline();
    this.deadlineTimer = setTimeout(onExpire, Math.max(0, leaseUntil - marginMs - now));
  }

  disarmDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  isPaused(now: number): boolean {
    return this.pausedUntil !== null && this.pausedUntil > now;
  }

  /** Paused until `until`; `onEnd` runs then (at once if it has passed). */
  pause(until: number, reason: PauseReason, now: number, onEnd: () => void): void {
    this.endPause();
    this.pausedUntil = until;
    this.pauseReason = reason;
    this.pauseTimer = setTimeout(onEnd, Math.max(0, until - now));
  }

  endPause(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
    this.pausedUntil = null;
    this.pauseReason = null;
  }

  cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }
}
