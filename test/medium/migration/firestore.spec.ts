import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';
import { migrationScenario } from './migration.scenario';
import { firestoreMigrationFixtures } from './support/migration-fixtures';

// The same scenario against Google's Firestore emulator: skipped, with the reason on its own line, where none is found.
describeOnFirestoreEmulator('thread-id migration on the Firestore emulator', (host) => {
  migrationScenario(firestoreMigrationFixtures(host), [0.2, 0.5, 0.8]);
});
