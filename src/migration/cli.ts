import 'reflect-metadata';
import { ConfigError } from '../config/app-config';
import { readAppConfig } from '../config/read-app-config';
import { LegacyStore } from './legacy-store';
import { MigrationReport } from './migration-report';
import { openLegacyStore, storeDescription } from './open-legacy-store';
import { progressOn } from './progress';
import { migrateThreadIds } from './thread-id-migration';

const USAGE = `Usage: npm run migrate:thread-ids -- --dry-run | --apply
       node dist/migration/cli.js --dry-run | --apply

Moves the old layout (threads named by the bare remote JID, outbox/{requestId}, wa_accounts) to
threads/{accountId}__{clientJid}, outbox/{accountId}__{requestId} and accounts. Reads STORE,
SQLITE_PATH, FIREBASE_PROJECT_ID, FIRESTORE_EMULATOR_HOST (and .env) as the app does.
  --dry-run  reads everything, writes nothing, prints what --apply would do
  --apply    migrates; safe to interrupt and run again. Stop every instance first (docs/migration.md):
             it refuses while an account is held under a lease that has not run out.
Exit: 0 done, 3 done but some old docs were left in place (listed), 1 failed (run again), 2 bad usage,
4 instances still running (nothing written).`;

export const EXIT = { done: 0, failed: 1, usage: 2, leftInPlace: 3, instancesRunning: 4 } as const;

async function main(args: string[]): Promise<number> {
  const dryRun = args.includes('--dry-run');
  const apply = args.includes('--apply');
  if (args.includes('--help') || dryRun === apply || args.some((arg) => arg !== '--dry-run' && arg !== '--apply')) {
    console.error(USAGE);
    return args.includes('--help') ? EXIT.done : EXIT.usage;
  }
  // As the app reads it (`.env` when present, real environment variables win). This process serves no HTTP, so the API-key requirement of STORE=firestore does not apply to it.
  const config = await readAppConfig({ insecureNoAuth: true });
  const store: LegacyStore = openLegacyStore(config);
  const report = new MigrationReport(storeDescription(config), dryRun);
  try {
    const holders = await store.liveHolders(Date.now());
    if (holders.length > 0) {
      const running = `instances still hold accounts under live leases: ${holders.join(', ')}. Stop every instance first (docs/migration.md); a stopped one's leases run out within ACCOUNT_LEASE_MS`;
      if (!dryRun) {
        console.error(`refusing --apply, nothing written: ${running}`);
        return EXIT.instancesRunning;
      }
      console.error(`warning: ${running}`);
    }
    await migrateThreadIds(store, report, { dryRun, progress: progressOn(process.stderr) });
    console.log(report.lines().join('\n'));
    return report.leftInPlace.length > 0 ? EXIT.leftInPlace : EXIT.done;
  } catch (error) {
    console.log(report.lines().join('\n'));
    console.error(`\nstopped: ${error instanceof Error ? error.message : String(error)}`);
    console.error('Nothing is deleted before its copy reads back equal: run the same command again to resume.');
    return EXIT.failed;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(error instanceof ConfigError ? EXIT.usage : EXIT.failed);
  },
);
