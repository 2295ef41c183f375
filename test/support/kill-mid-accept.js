// Child process for durable-accept.spec.ts: starts a real accept on the compiled repository and kills
// itself with SIGKILL after the message and thread rows are written but before the commit.
const { SqliteStore } = require('../../dist/store/sqlite/sqlite-store');
const { SqliteOutboxRepository } = require('../../dist/outbox/sqlite/outbox.repository.sqlite');

const store = SqliteStore.open(process.argv[2]);
store.db.function('die_now', () => process.kill(process.pid, 'SIGKILL'));
store.db.exec('CREATE TEMP TRIGGER die BEFORE INSERT ON main.outbox BEGIN SELECT die_now(); END');
void new SqliteOutboxRepository(store).accept({
  accountId: 'acc1',
  requestId: 'killed',
  threadId: 'acc1__40712345678@s.whatsapp.net',
  clientJid: '40712345678@s.whatsapp.net',
  messageId: 'm1',
  waMessageId: '3EB0AAAAAAAAAAAAAAAAAA',
  text: 'never committed',
  requestHash: 'h',
  now: Date.now(),
});
