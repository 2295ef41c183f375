/**
 * firebase-admin takes the Firestore emulator's address only from the environment, so the validated
 * `FIRESTORE_EMULATOR_HOST` (or a test's own) is handed back to it here, beside the one reader of the environment.
 */
export function pointFirebaseAtEmulator(host: string): void {
  process.env.FIRESTORE_EMULATOR_HOST = host;
}
