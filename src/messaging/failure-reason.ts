/**
 * Why a send ended `failed`: one word per cause (CONTRACT, "Corrections"), so an app can branch on it.
 * What the provider or the store said in words is the failure's detail, kept beside it for people.
 */
export const FAILURE_REASONS = ['loggedOut', 'accountReset', 'accountDeleted', 'accountRelinked', 'maxAttempts', 'rejected'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export interface Failure {
  reason: FailureReason;
  detail: string | null;
}

export function failureOf(reason: FailureReason, detail: string | null = null): Failure {
  return { reason, detail };
}
