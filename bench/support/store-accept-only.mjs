#!/usr/bin/env node
// The accept path's store alone, without HTTP: batches of sends through the compiled
// SqliteOutboxRepository and its GroupCommit, as the app runs them, on one thread. For weighing sqlite
// settings by exact counts (bytes and write syscalls per send) where throughput is too noisy to compare.
//   node bench/support/store-accept-only.mjs [sends=60000] [batch=27] [--json] [--by-statement]
// bench:send runs it as the store's ceiling: what one thread writing nothing but accepts reaches.
// --by-statement also times each statement of the accept write and each transaction command, per send
// (the timing adds ~1 µs a call).
//   env: TEMP_STORE=MEMORY, WAL_AUTOCHECKPOINT=10000, SYNCHRONOUS=NORMAL (only to measure), DIR=/tmp
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { SqliteStore } = require('../../dist/store/sqlite/sqlite-store.js');
const { SqliteOutboxRepository } = require('../../dist/outbox/sqlite/outbox.repository.sqlite.js');
const { newMessageId } = require('../../dist/common/ids.js');
const { newWaMessageId } = require('../../dist/whatsapp/message-id.js');

const [totalArg, batchArg] = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const total = Number(totalArg ?? 60_000);
const batchSize = Number(batchArg ?? 27);
const directory = mkdtempSync(path.join(process.env.DIR ?? os.tmpdir(), 'store-accept-'));
const store = SqliteStore.open(path.join(directory, 'store.db'));
for (const [variable, pragma] of [['TEMP_STORE', 'temp_store'], ['WAL_AUTOCHECKPOINT', 'wal_autocheckpoint'], ['SYNCHRONOUS', 'synchronous']]) {
  if (process.env[variable]) store.db.pragma(`${pragma} = ${process.env[variable]}`);
}
const outbox = new SqliteOutboxRepository(store);
const byStatement = process.argv.includes('--by-statement') ? timeStatements() : null;
const accounts = ['b1', 'b2', 'b3', 'b4'];
const startedAt = Date.now();
for (const accountId of accounts) {
  store.db.prepare("INSERT INTO accounts (account_id, status, created_at, updated_at) VALUES (?, 'disconnected', ?, ?)").run(accountId, startedAt, startedAt);
}

const processIo = () => Object.fromEntries(readFileSync('/proc/self/io', 'utf8').trim().split('\n').map((line) => line.split(': ')).map(([k, v]) => [k, Number(v)]));
const ioBefore = processIo();
const cpuBefore = process.cpuUsage();
const t0 = process.hrtime.bigint();
for (let n = 0; n < total; ) {
  const batch = [];
  for (let i = 0; i < batchSize && n < total; i++, n++) {
    const accountId = accounts[n % accounts.length];
    const clientJid = `40712${String(Math.floor(n / accounts.length) % 500).padStart(6, '0')}@s.whatsapp.net`;
    batch.push(
      outbox.accept({
        accountId,
        requestId: randomUUID(),
        threadId: `${accountId}__${clientJid}`,
        clientJid,
        messageId: newMessageId(),
        waMessageId: newWaMessageId(),
        text: `Benchmark message ${n}: your order is ready for pickup.`,
        requestHash: 'f'.repeat(64),
        now: startedAt + n,
      }),
    );
  }
  await Promise.all(batch);
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const io = processIo();
const wal = statSync(path.join(directory, 'store.db-wal'), { throwIfNoEntry: false })?.size ?? 0;
const perSend = (value) => value / total;
const result = {
  sends: total,
  batch: batchSize,
  wallUsPerSend: (seconds * 1e6) / total,
  cpuUsPerSend: perSend(cpu.user + cpu.system),
  walKiBPerSend: perSend(io.wchar - ioBefore.wchar) / 1024,
  writeSyscallsPerSend: perSend(io.syscw - ioBefore.syscw),
  storageKiBPerSend: perSend(io.write_bytes - ioBefore.write_bytes) / 1024,
};
console.log(
  process.argv.includes('--json')
    ? JSON.stringify(result)
    : `${total} sends in batches of ${batchSize}: ${result.wallUsPerSend.toFixed(0)} µs/send wall, ${result.cpuUsPerSend.toFixed(0)} µs/send CPU; ` +
        `per send ${result.walKiBPerSend.toFixed(1)} KiB through ${result.writeSyscallsPerSend.toFixed(1)} write syscalls, ` +
        `${result.storageKiBPerSend.toFixed(1)} KiB to storage; WAL file ${(wal / 2 ** 20).toFixed(0)} MiB`,
);
if (byStatement) {
  for (const [name, ns] of byStatement) console.log(`  ${name.padEnd(16)} ${(ns / total / 1000).toFixed(1)} µs/send`);
}
store.close();
rmSync(directory, { recursive: true, force: true });

/** Wraps the accept write's prepared statements (by their name there) and `db.exec` (by its first word). */
function timeStatements() {
  const spent = new Map();
  const timed = (name, call) =>
    function (...args) {
      const started = process.hrtime.bigint();
      try {
        return call.apply(this, args);
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + Number(process.hrtime.bigint() - started));
      }
    };
  for (const [name, statement] of Object.entries(outbox.acceptWrite.statements)) {
    for (const method of ['get', 'run']) statement[method] = timed(name, statement[method]);
  }
  const exec = store.db.exec;
  store.db.exec = function (sql) {
    return timed(sql.split(' ')[0], exec).call(this, sql);
  };
  return spent;
}
