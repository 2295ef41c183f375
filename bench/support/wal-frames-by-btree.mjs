#!/usr/bin/env node
// Where an accept's WAL goes: which B-tree (table or index, leaf or interior page) each WAL frame belongs
// to, per accepted send. Runs the compiled SqliteOutboxRepository's accept in batches of 27 (4 accounts x
// 500 recipients, as bench/send.mjs), first `before` sends to give the B-trees their size, then a clean
// WAL (checkpoint TRUNCATE, auto-checkpoint off) and `measured` sends, then maps each frame's page number
// to its owner with the dbstat virtual table.
//   npm run build && node bench/support/wal-frames-by-btree.mjs [before=30000] [measured=2700]
//   env SQL='DROP INDEX ...' runs SQL after the schema is made (to weigh an index).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
const require = createRequire(import.meta.url);
const { SqliteStore } = require('../../dist/store/sqlite/sqlite-store.js');
const { SqliteOutboxRepository } = require('../../dist/outbox/sqlite/outbox.repository.sqlite.js');
const { newMessageId } = require('../../dist/common/ids.js');
const { newWaMessageId } = require('../../dist/whatsapp/message-id.js');
const pre = Number(process.argv[2] ?? 30000), measured = Number(process.argv[3] ?? 2700), batchSize = 27;
const directory = mkdtempSync(path.join(os.tmpdir(), 'walmap-'));
const file = path.join(directory, 'store.db');
const store = SqliteStore.open(file);
store.db.pragma('wal_autocheckpoint = 0');
if (process.env.SQL) store.db.exec(process.env.SQL);
const outbox = new SqliteOutboxRepository(store);
const accounts = ['b1', 'b2', 'b3', 'b4'];
const startedAt = Date.now();
for (const a of accounts) store.db.prepare("INSERT INTO accounts (account_id, status, created_at, updated_at) VALUES (?, 'disconnected', ?, ?)").run(a, startedAt, startedAt);
let n = 0;
async function run(count) {
  for (const end = n + count; n < end; ) {
    const batch = [];
    for (let i = 0; i < batchSize && n < end; i++, n++) {
      const accountId = accounts[n % accounts.length];
      const clientJid = `40712${String(Math.floor(n / accounts.length) % 500).padStart(6, '0')}@s.whatsapp.net`;
      batch.push(outbox.accept({ accountId, requestId: randomUUID(), threadId: `${accountId}__${clientJid}`, clientJid, messageId: newMessageId(), waMessageId: newWaMessageId(),
        text: `Benchmark message ${n}: your order is ready for pickup.`, requestHash: 'f'.repeat(64), now: startedAt + n }));
    }
    await Promise.all(batch);
  }
}
await run(pre);
store.db.pragma('wal_checkpoint(TRUNCATE)');
await run(measured);
const wal = readFileSync(file + '-wal');
const pageSize = wal.readUInt32BE(8);
const owner = new Map(store.db.prepare('SELECT pageno, name, pagetype FROM dbstat').all().map((r) => [r.pageno, `${r.name} ${r.pagetype}`]));
const counts = new Map();
let frames = 0;
for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize, frames++) {
  const pg = wal.readUInt32BE(off);
  const key = owner.get(pg) ?? `page ${pg > 0 ? 'unmapped' : '?'}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
console.log(`${frames} frames for ${measured} sends: ${(frames / measured).toFixed(2)} frames/send`);
for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${(v / measured).toFixed(3)}  ${k}`);
store.close();
rmSync(directory, { recursive: true, force: true });
