// bench:send --http-only: the send path's two store calls (the identity read and the accept) are answered
// on the HTTP thread, at the next turn, without the store worker; every other store call goes through.
// What is left is the HTTP path alone (Fastify, Nest, guard, limiter, validation, ids, the answer). Nothing
// is written, so such a run has no durability check and is never recorded. Preloaded with --require.
'use strict';
const path = require('node:path');
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  const dist = path.join(__dirname, '..', '..', 'dist');
  const { SqliteStoreWorker } = require(path.join(dist, 'store/sqlite/worker/store-worker-client.js'));
  const { outboxItemFor } = require(path.join(dist, 'outbox/outbox-item.factory.js'));
  const nextTurn = (value) => new Promise((resolve) => setImmediate(() => resolve(value)));
  const call = SqliteStoreWorker.prototype.call;
  SqliteStoreWorker.prototype.call = function (port, method, args) {
    if (port === 'OutboxRepository' && method === 'accept') return nextTurn({ kind: 'accepted', item: outboxItemFor(args[0], 1) });
    if (port === 'ContactAliasRepository' && method === 'lidOf') return nextTurn(undefined);
    return call.call(this, port, method, args);
  };
}
