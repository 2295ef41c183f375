import { describe, expect, it } from 'vitest';
import { isAccountId, isRequestId, outboxItemId } from '../../src/common/ids';

describe('composite ids name one pair each', () => {
  it('takes account ids ending in `_`, never holding `__`', () => {
    expect(['acme_', 'a_b', 'a-_', 'a_-_'].every(isAccountId)).toBe(true);
    expect(['a__b', 'acme__', '_acme', 'a___'].some(isAccountId)).toBe(false);
  });

  it('takes request ids holding `__` but never starting with `_`, so `a_` + `b` is not `a` + `_b`', () => {
    expect(isRequestId('b__c')).toBe(true);
    expect(isRequestId('_b')).toBe(false);
    // `a` + `b__c` and `a__b` + `c` give one string, but `a__b` is no account id.
    expect(outboxItemId('a', 'b__c')).toBe('a__b__c');
    expect(isAccountId('a__b')).toBe(false);
    expect(outboxItemId('a_', 'b')).toBe('a___b');
  });
});
