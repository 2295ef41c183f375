import { ProviderConnection } from '../whatsapp/whatsapp-provider';
import { Holding } from './account.repository';

/** This instance's hold on one account: the lease it renews and the socket it has open, if any. */
export class LiveAccount {
  connection: ProviderConnection | null = null;
  connected = false;
  /** The current socket has shown a login QR (so a 408 close is the QR's refs running out). */
  showingQr = false;
  /** Closes in a row since the last open: drives the reconnect backoff. */
  closesInRow = 0;
  reconnectTimer: NodeJS.Timeout | null = null;
  /** Fires before the lease can end if no renewal moved it: the socket closes by itself. */
  private deadlineTimer: NodeJS.Timeout | null = null;
  /** Replaced by another device or logged out: no socket until an operator asks. */
  stopped = false;
  /** The operator requests already acted on, so a renewal does not repeat them. */
  handledReconnectAt: number | null;
  handledResetAt: number | null;
  /** The pairing request (by its time) this instance has asked WhatsApp a code for. */
  handledPairingAt: number | null = null;

  constructor(
    readonly holding: Holding,
    public leaseUntil: number,
    requests: { reconnectRequestedAt: number | null; resetRequestedAt: number | null },
  ) {
    this.handledReconnectAt = requests.reconnectRequestedAt;
    this.handledResetAt = requests.resetRequestedAt;
  }

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

  cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }
}
