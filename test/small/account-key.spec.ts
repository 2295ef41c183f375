import { describe, expect, it } from 'vitest';
import { keyIdOf, newAccountKey, withoutAccount } from '../../src/access/account-key';
import { InvalidInput } from '../../src/common/errors';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

describe('an account key request', () => {
  it.each([
    [{ name: '', accountIds: ['acc1'], scopes: ['send'] }, 'name'],
    [{ name: 'x', accountIds: [], scopes: ['send'] }, 'accountIds'],
    [{ name: 'x', accountIds: ['acc1', 'a__b'], scopes: ['send'] }, 'accountIds[1]'],
    [{ name: 'x', accountIds: ['acc1'], scopes: [] }, 'scopes'],
    [{ name: 'x', accountIds: ['acc1'], scopes: ['read', 'admin'] }, 'scopes[1]'],
  ])('refuses %j, naming %s', (request, field) => {
    expect(() => newAccountKey(request, T0)).toThrow(InvalidInput);
    expect(() => newAccountKey(request, T0)).toThrow(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
  });

  it('makes a key of the form wak_{keyId}_{43 base64url} that names its keyId', () => {
    const { record, key } = newAccountKey({ name: 'x', accountIds: ['acc1'], scopes: ['manage', 'send'] }, T0);
    expect(key).toMatch(/^wak_key_[A-Za-z0-9_-]{16}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(key)).toBe(record.keyId);
    expect(record.scopes).toEqual(['send', 'manage']);
    expect(keyIdOf('wak_key_short_x')).toBeUndefined();
  });
});

describe("a key after an account's deletion", () => {
  const key = newAccountKey({ name: 'x', accountIds: ['acc1', 'acc2'], scopes: ['read'] }, T0).record;
  it.each([
    ['acc1', ['acc2']],
    ['acc3', ['acc1', 'acc2']],
  ])('without %s keeps %j', (accountId, left) => expect(withoutAccount(key, accountId)?.accountIds).toEqual(left));
  it('is gone with its last account', () => expect(withoutAccount(withoutAccount(key, 'acc1')!, 'acc2')).toBeNull());
});
