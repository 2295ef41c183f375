// What bench/outbox.mjs, bench/inbound.mjs and bench/memory.mjs do around their measurements: dist/
// made fresh, a work folder, the machine and the other work on it printed; the command a recorded
// section names; at the end, the run failed with its problems listed, or its folder removed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFreshBuild } from './build.mjs';
import { describeLoad, describeMachine, isTmpfs, machineLoad } from './machine.mjs';

export const BENCH_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The parseArgs options every one of these benches takes. */
export const COMMON_OPTIONS = {
  build: { type: 'boolean', default: false },
  'no-build': { type: 'boolean', default: false },
  record: { type: 'boolean', default: false },
  keep: { type: 'boolean', default: false },
};

/**
 * Builds dist/ if it is older than src/ (`--build` forces it, `--no-build` skips it), makes the work
 * folder and prints the machine and the load on it. `fsyncMatters`: warn when the folder is on tmpfs,
 * where fsync costs nothing; `loadMatters`: warn when other work is running.
 */
export function startBench(name, options, { fsyncMatters = true, loadMatters = true } = {}) {
  const build = options['no-build'] ? { built: false } : ensureFreshBuild(BENCH_ROOT, { force: options.build });
  const workDir = mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  const onTmpfs = isTmpfs(workDir);
  if (onTmpfs && fsyncMatters) console.warn(`warning: ${workDir} is on tmpfs, where fsync costs nothing; the figures will be flattered`);
  const machine = describeMachine();
  console.log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, ${machine.ramGiB} GiB RAM, Node ${machine.node}`);
  const loadBefore = machineLoad();
  console.log(`other work before starting: ${describeLoad(loadBefore)}`);
  if (loadMatters && loadBefore.loadAverage > 0.5) console.warn('warning: the machine is not idle; the figures will move with that load');
  return { root: BENCH_ROOT, build, workDir, onTmpfs, machine, loadBefore };
}

/** `npm run bench:{name} -- …` with the arguments this run was given, less `--record`. */
export function recordedCommand(name) {
  const args = process.argv.slice(2).filter((arg) => arg !== '--record');
  return [`npm run bench:${name}`, ...(args.length ? ['--', ...args] : [])].join(' ');
}

/** Exit status 1 with the problems listed and the files kept; otherwise the work folder goes unless `keep`. */
export function finishBench({ problems, workDir, keep }) {
  if (problems.length > 0) {
    console.error(`\nFAILED:\n  ${problems.join('\n  ')}\n(files kept in ${workDir})`);
    process.exit(1);
  }
  if (!keep) rmSync(workDir, { recursive: true, force: true });
}
