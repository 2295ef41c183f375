import { describe, expect, it } from 'vitest';
import { Reaction, reactionTo } from '../../src/accounts/connection-policy';
import { DisconnectKind } from '../../src/whatsapp/whatsapp-provider';

/**
 * Every close reason and what follows it; `backoff`: reconnect after the reconnect backoff. A Record, so
 * a new DisconnectKind fails the type-check until someone decides what it does.
 */
const REACTION: Record<DisconnectKind, Reaction | 'backoff'> = {
  // Sent right after a QR scan or pairing: the new creds need a fresh socket, at once.
  restartRequired: { kind: 'reconnect', delayMs: 0 },
  // WhatsApp unlinked the device: an operator must link it again.
  loggedOut: { kind: 'logged-out' },
  // Another device or instance holds the connection: no fighting over it.
  connectionReplaced: { kind: 'stop' },
  connectionClosed: 'backoff',
  connectionLost: 'backoff',
  timedOut: 'backoff',
  badSession: 'backoff',
  multideviceMismatch: 'backoff',
  forbidden: 'backoff',
  unavailableService: 'backoff',
  unknown: 'backoff',
};

const reasons = Object.keys(REACTION) as DisconnectKind[];
const fixed = reasons.filter((reason) => REACTION[reason] !== 'backoff');
const backedOff = reasons.filter((reason) => REACTION[reason] === 'backoff');

describe('reactionTo: what follows a socket close, by its reason', () => {
  it.each(fixed)('%s: the same reaction on every close in a row, whatever the jitter', (reason) => {
    for (const attempt of [1, 2, 40]) expect(reactionTo(reason, attempt, () => 1)).toEqual(REACTION[reason]);
  });

  it.each(backedOff)('%s: reconnects after the backoff of its close in a row', (reason) => {
    expect(reactionTo(reason, 1, () => 0)).toEqual({ kind: 'reconnect', delayMs: 500 });
    expect(reactionTo(reason, 1, () => 1)).toEqual({ kind: 'reconnect', delayMs: 1_000 });
    expect(reactionTo(reason, 3, () => 1)).toEqual({ kind: 'reconnect', delayMs: 4_000 });
    expect(reactionTo(reason, 40, () => 1)).toEqual({ kind: 'reconnect', delayMs: 60_000 });
  });
});
