import { describe } from 'vitest';
import { migrationScenario } from './migration.scenario';
import { sqliteMigrationFixtures } from './support/migration-fixtures';

// sqlite is fast enough to interrupt the apply at many points (every ~6% of its writes), each run again to the end.
const INTERRUPTIONS = Array.from({ length: 16 }, (_, i) => (i + 0.5) / 16);

describe('thread-id migration on sqlite', () => {
  migrationScenario(sqliteMigrationFixtures(), INTERRUPTIONS);
});
