import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { RulesTestContext, RulesTestEnvironment, initializeTestEnvironment } from '@firebase/rules-unit-testing';
import { Firestore } from 'firebase/firestore';

export const RULES_PATH = join(__dirname, '..', '..', '..', '..', 'firestore.rules');

/**
 * A test environment on the emulator at `host` (`127.0.0.1:PORT`) with the repository's firestore.rules
 * loaded into a fresh project: rules-unit-testing PUTs them to the emulator's `:securityRules` endpoint,
 * which Google's emulator enforces for that project from then on (the Admin SDK, as the server, still
 * bypasses them). A project of its own keeps other suites sharing the emulator out of these rules.
 */
export async function rulesEnvironment(host: string): Promise<RulesTestEnvironment> {
  const [hostname, port] = host.split(':');
  return initializeTestEnvironment({
    projectId: `demo-rules-${randomUUID().slice(0, 8)}`,
    firestore: { rules: readFileSync(RULES_PATH, 'utf8'), host: hostname, port: Number(port) },
  });
}

/**
 * The context's client, an app as Firebase's web SDK sees it, typed for the modular API. rules-unit-testing
 * types it as the compat SDK's Firestore, which the modular functions accept (its documented use).
 */
export function clientOf(context: RulesTestContext): Firestore {
  return context.firestore() as unknown as Firestore;
}
