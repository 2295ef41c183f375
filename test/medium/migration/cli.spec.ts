import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';
import { account } from '../../support/sends';
import { MakeMigrationFixture, MigrationFixture, firestoreMigrationFixtures, sqliteMigrationFixtures } from './support/migration-fixtures';
import { expectNoOldLayout } from './support/expect-migrated';

// The compiled CLI, as operators run it (`npm run migrate:thread-ids` builds, then runs this file).
const CLI = join(__dirname, '..', '..', '..', 'dist', 'migration', 'cli.js');
// Outside the repository, so a developer's .env cannot point the CLI elsewhere.
const CWD = mkdtempSync(join(tmpdir(), 'wa-migration-cli-'));

function cli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: CWD, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliScenario(make: MakeMigrationFixture): void {
  it('--dry-run prints counts and plain progress lines (no TTY) and writes nothing; --apply migrates; a second --apply writes 0 docs', async () => {
    const fixture: MigrationFixture = await make();
    const before = await fixture.dump();
    const dry = cli(['--dry-run'], fixture.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run: nothing written/);
    expect(dry.stdout).toMatch(/old threads: 4 found with 35 messages; would copy 34/);
    expect(dry.stderr.split('\n')).toEqual(expect.arrayContaining(['threads: 0/4', 'threads: 4/4 done', 'outbox: 4/4 done']));
    expect(await fixture.dump()).toEqual(before);

    const apply = cli(['--apply'], fixture.env);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/copy 34 \(0 copied by an earlier run, 1 duplicates/);
    await expectNoOldLayout(fixture);
    const again = cli(['--apply'], fixture.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/wrote 0 docs/);
  });

  it('refuses --apply while an instance holds an account under a live lease (exit 4, nothing written); --dry-run warns', async () => {
    const fixture: MigrationFixture = await make();
    await fixture.app.accounts.create(account('held-by-w9'));
    const taken = await fixture.app.accounts.claimUnowned('w9/live', Date.now(), 60_000, 100);
    expect(taken.map((a) => a.accountId)).toContain('held-by-w9');
    const before = await fixture.dump();

    const apply = cli(['--apply'], fixture.env);
    expect(apply.code).toBe(4);
    expect(apply.stderr).toMatch(/^refusing --apply, nothing written: instances still hold accounts under live leases: w9\/live\. Stop every instance first/m);
    expect(await fixture.dump()).toEqual(before);
    const dry = cli(['--dry-run'], fixture.env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/^warning: instances still hold accounts under live leases: w9\/live\./m);
  });
}

describe('migrate:thread-ids CLI on sqlite', () => {
  cliScenario(sqliteMigrationFixtures());

  it('refuses to run without exactly one of --dry-run and --apply (exit 2, usage on stderr)', () => {
    for (const args of [[], ['--dry-run', '--apply'], ['--yes']]) {
      const result = cli(args, { STORE: 'sqlite', SQLITE_PATH: join(CWD, 'none.db') });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Usage: npm run migrate:thread-ids -- --dry-run \| --apply/);
    }
  });

  it('refuses a SQLITE_PATH with no database rather than migrating a new empty one', () => {
    const result = cli(['--dry-run'], { STORE: 'sqlite', SQLITE_PATH: join(CWD, 'missing.db') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SQLITE_PATH=.*missing\.db: no database there to migrate/);
  });
});

describeOnFirestoreEmulator('migrate:thread-ids CLI on the Firestore emulator', (host) => {
  cliScenario(firestoreMigrationFixtures(host));
});
