// What the figures were measured on, for the record beside them.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';

const TMPFS_MAGIC = 0x01021994;

export function describeMachine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    nproc: os.availableParallelism(),
    cpuModel: model,
    ramGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

/** A tmpfs directory makes fsync free, which would flatter a durable-write benchmark. */
export function isTmpfs(directory) {
  return statfsSync(directory).type === TMPFS_MAGIC;
}
