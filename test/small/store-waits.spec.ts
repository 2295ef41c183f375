import { describe, expect, it } from 'vitest';
import { DeadlinePassed, withinDeadline } from '../../src/common/deadline';
import { untilStored } from '../../src/common/until-stored';

const storeError = () => Object.assign(new Error('10 ABORTED: Transaction lock timeout.'), { code: 10 });

describe('untilStored: an outcome written again after store errors', () => {
  it('lands on the first try that the store takes, the writes before it refused', async () => {
    const tries: number[] = [];
    const landed = await untilStored(async () => {
      tries.push(tries.length + 1);
      if (tries.length < 3) throw storeError();
      return 'stored';
    }, () => true);
    expect(landed).toBe('stored');
    expect(tries).toEqual([1, 2, 3]);
  });

  it('throws the last error once trying is no longer worth it (the claim ran out)', async () => {
    let tries = 0;
    const outcome = untilStored(async () => {
      tries++;
      throw storeError();
    }, () => tries < 2);
    await expect(outcome).rejects.toThrow('Transaction lock timeout');
    expect(tries).toBe(2);
  });
});

describe('withinDeadline', () => {
  it('answers as the work does when it settles in time', async () => {
    await expect(withinDeadline(Promise.resolve('stored'), 100)).resolves.toBe('stored');
    await expect(withinDeadline(Promise.reject(storeError()), 100)).rejects.toThrow('Transaction lock timeout');
  });

  it('rejects with DeadlinePassed when the work outlasts it, and a late failure of the work is not unhandled', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<string>((_, reject) => (fail = reject));
    await expect(withinDeadline(work, 20)).rejects.toBeInstanceOf(DeadlinePassed);
    fail(storeError());
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});
