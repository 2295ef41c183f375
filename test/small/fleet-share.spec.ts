import { describe, expect, it } from 'vitest';
import { FleetWatch, evenShare } from '../../src/accounts/fleet-share';
import { ClaimLoop } from '../../src/common/claim-loop';

const LEASE = 3_000;
const instance = (workerId: string, startedAt = 0) => ({ workerId, startedAt, seenAt: 0 });

describe('the even share of the fleet', () => {
  it('is ceil(A/N), and an instance alone takes every account', () => {
    expect(evenShare(30, 3)).toBe(10);
    expect(evenShare(30, 4)).toBe(8);
    expect(evenShare(31, 3)).toBe(11);
    expect(evenShare(7, 1)).toBe(7);
    expect(evenShare(0, 2)).toBe(0);
    expect(evenShare(5, 0)).toBe(5);
  });

  it('settles three leases after the last join or leave, a restart under the same worker id counting as one', () => {
    const watch = new FleetWatch(3 * LEASE);
    const two = [instance('w1'), instance('w2')];
    expect(watch.settled(two, 0)).toBe(false);
    expect(watch.settled(two, 3 * LEASE - 1)).toBe(false);
    expect(watch.settled(two, 3 * LEASE)).toBe(true);
    expect(watch.settled([...two, instance('w3')], 4 * LEASE)).toBe(false);
    expect(watch.settled([...two, instance('w3')], 7 * LEASE)).toBe(true);
    expect(watch.settled([instance('w1'), instance('w2', 5 * LEASE), instance('w3')], 7 * LEASE)).toBe(false);
    expect(watch.settled(two, 10 * LEASE)).toBe(false);
    expect(watch.settled(two, 13 * LEASE)).toBe(true);
  });
});

describe('a claim loop drained for one key', () => {
  it('resolves once that key has nothing in flight, whatever the other keys still run', async () => {
    const finish = new Map<string, () => void>();
    let claimed = false;
    const loop = new ClaimLoop<string>(
      'test',
      {
        claim: async () => (claimed ? [] : ((claimed = true), ['a1', 'b1'])),
        keyOf: (item) => item[0],
        attempt: (item) => new Promise<void>((resolve) => finish.set(item, resolve)),
      },
      2,
    );
    loop.trigger();
    const drained = { a: false };
    const drainingA = loop.drained('a').then(() => (drained.a = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([...finish.keys()].sort()).toEqual(['a1', 'b1']);
    expect(drained.a).toBe(false);
    finish.get('b1')!();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(drained.a).toBe(false);
    finish.get('a1')!();
    await drainingA;
    expect(drained.a).toBe(true);
    await loop.drained('z');
  });
});
