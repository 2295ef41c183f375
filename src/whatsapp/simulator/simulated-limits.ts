import type { ReachoutTimelockState } from '@whiskeysockets/baileys';

/** The limits the simulator can put on an account's sends, by WhatsApp's code for each. */
export const LIMIT_CODES = ['429', '463'] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

export interface LimitFault {
  code: LimitCode;
  /** How many of the account's next sends meet it. */
  sends: number;
  /** 463: when WhatsApp reports the lock ending, this long after the send that met it; none: no end reported. */
  lockForMs?: number;
}

/**
 * WhatsApp's limits as the simulator plays them, per account in this process: the next sends of an
 * account are refused with the code set, and a 463 leaves the reach-out lock that Baileys'
 * `fetchAccountReachoutTimelock` then reports.
 */
export class SimulatedLimits {
  private readonly faults = new Map<string, LimitFault>();
  private readonly locks = new Map<string, number | null>();

  set(accountId: string, fault: LimitFault): void {
    if (fault.sends > 0) this.faults.set(accountId, { ...fault });
    else this.faults.delete(accountId);
  }

  /** The limit the account's next send meets, if any; counts it. */
  take(accountId: string, now: number): LimitCode | undefined {
    const fault = this.faults.get(accountId);
    if (!fault) return undefined;
    if (--fault.sends === 0) this.faults.delete(accountId);
    if (fault.code === '463') this.locks.set(accountId, fault.lockForMs === undefined ? null : now + fault.lockForMs);
    return fault.code;
  }

  /** The lock as WhatsApp's `xwa2_fetch_account_reachout_timelock` answers it (Baileys' shape). */
  lockOf(accountId: string, now: number): ReachoutTimelockState {
    if (!this.locks.has(accountId)) return { isActive: false };
    const ends = this.locks.get(accountId)!;
    if (ends !== null && ends <= now) {
      this.locks.delete(accountId);
      return { isActive: false };
    }
    return ends === null ? { isActive: true } : { isActive: true, timeEnforcementEnds: new Date(ends) };
  }
}
