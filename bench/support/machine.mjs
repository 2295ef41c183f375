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

/**
 * Other work on the machine while measuring: the 1-minute load average and, where the kernel has PSI,
 * the share of the last 60 s in which some task waited for CPU / for I/O. On a shared 2-core machine
 * these move the figures more than most code changes do, so they are printed and recorded beside them.
 */
export function machineLoad() {
  const pressure = (kind) => {
    try {
      return Number(/some avg10=[\d.]+ avg60=([\d.]+)/.exec(readFileSync(`/proc/pressure/${kind}`, 'utf8'))?.[1]);
    } catch {
      return undefined;
    }
  };
  return { loadAverage: os.loadavg()[0], cpuPressure: pressure('cpu'), ioPressure: pressure('io') };
}

export function describeLoad({ loadAverage, cpuPressure, ioPressure }) {
  const psi = cpuPressure === undefined ? '' : `, CPU pressure ${cpuPressure.toFixed(0)} %, I/O pressure ${ioPressure.toFixed(0)} % (PSI some, avg60)`;
  return `load average ${loadAverage.toFixed(2)}${psi}`;
}
