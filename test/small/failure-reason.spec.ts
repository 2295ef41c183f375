import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, FailureReason, failureOf } from '../../src/messaging/failure-reason';

/** The vocabulary as CONTRACT ("Corrections") gives it: an app branches on these words, so none may change. */
const CONTRACT_REASONS = ['loggedOut', 'accountReset', 'accountDeleted', 'accountRelinked', 'maxAttempts', 'rejected'];

describe('failure reasons: one camelCase word per cause', () => {
  it('are the contract vocabulary, no more and no fewer', () => {
    expect([...FAILURE_REASONS].sort()).toEqual([...CONTRACT_REASONS].sort());
  });

  it.each(FAILURE_REASONS)('%s is one camelCase word', (reason) => {
    expect(reason).toMatch(/^[a-z]+(?:[A-Z][a-z]+)*$/);
  });
});

describe('failureOf: the reason for apps, the detail in words for people', () => {
  it.each<[string, FailureReason, string | null | undefined, { reason: FailureReason; detail: string | null }]>([
    ['a reason alone has no detail', 'maxAttempts', undefined, { reason: 'maxAttempts', detail: null }],
    ['an explicit null detail stays null', 'loggedOut', null, { reason: 'loggedOut', detail: null }],
    ['the detail is kept as the provider said it', 'rejected', 'rejected by WhatsApp (code 463)', { reason: 'rejected', detail: 'rejected by WhatsApp (code 463)' }],
    ['an empty detail is kept, not turned into null', 'accountReset', '', { reason: 'accountReset', detail: '' }],
  ])('%s', (_behaviour, reason, detail, expected) => {
    expect(failureOf(reason, detail)).toEqual(expected);
  });
});
