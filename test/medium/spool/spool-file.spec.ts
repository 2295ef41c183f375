import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SpoolFile } from '../../../src/spool/spool-file';

const dir = mkdtempSync(join(tmpdir(), 'wa-spool-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const nextPath = () => join(dir, `p${++n}.spool`);
const kinds = (file: SpoolFile) => file.after(0, 100).map((entry) => [entry.kind, JSON.parse(entry.json)]);

/** Another process that spools `count` events into `path` and keeps the file open until it is killed. */
async function ownerProcess(path: string, count: number): Promise<ChildProcess> {
  const script = `
    const { SpoolFile } = require(${JSON.stringify(resolve('dist/spool/spool-file.js'))});
    const file = SpoolFile.create(${JSON.stringify(path)});
    for (let i = 1; i <= ${count}; i++) file.append('message', { i });
    process.stdout.write('ready');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child;
}

describe('a spool file', () => {
  it('is created 0600 and keeps its events in order across a close', () => {
    const path = nextPath();
    const file = SpoolFile.create(path);
    file.append('message', { i: 1 });
    file.append('receipt', { i: 2 });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    file.close();
    const again = SpoolFile.adopt(path)!;
    expect(kinds(again)).toEqual([['message', { i: 1 }], ['receipt', { i: 2 }]]);
    again.remove(again.after(0, 1)[0].seq);
    expect(again.count()).toBe(1);
    again.delete();
    expect(existsSync(path)).toBe(false);
  });

  it('is never adopted while its owner lives, in this process or another; once the owner is killed it is, whole', async () => {
    const mine = nextPath();
    const held = SpoolFile.create(mine);
    expect(SpoolFile.adopt(mine)).toBeUndefined();
    held.close();

    const theirs = nextPath();
    const owner = await ownerProcess(theirs, 3);
    expect(SpoolFile.adopt(theirs)).toBeUndefined();
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    const adopted = SpoolFile.adopt(theirs)!;
    expect(kinds(adopted)).toEqual([1, 2, 3].map((i) => ['message', { i }]));
    // Held now by this process: no second adopter gets it.
    expect(SpoolFile.adopt(theirs)).toBeUndefined();
    adopted.close();
  });

  it('skips a write torn by a crash and keeps every event before it', async () => {
    const path = nextPath();
    const owner = await ownerProcess(path, 3);
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    // As if the process died halfway through writing the third append: its last WAL frame is cut short.
    const wal = `${path}-wal`;
    truncateSync(wal, statSync(wal).size - 2000);
    const adopted = SpoolFile.adopt(path)!;
    expect(kinds(adopted)).toEqual([1, 2].map((i) => ['message', { i }]));
    adopted.close();
  });

  it('leaves alone a file whose creator has not written its table yet', () => {
    const path = nextPath();
    writeFileSync(path, '');
    expect(SpoolFile.adopt(path)).toBeUndefined();
    expect(existsSync(path)).toBe(true);
  });
});
