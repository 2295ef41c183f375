// Preloaded into the app by bench/memory.mjs (`node --require ... dist/main.js`, WA_PROVIDER=baileys):
// the app has no setting for the WhatsApp WebSocket URL (only tests pass `waWebSocketUrl`), and this
// machine cannot reach WhatsApp. This points every real Baileys socket the compiled factory makes at
// BENCH_WA_WEBSOCKET_URL (a local server that drops each connection), in this process only; src/ and
// the rest of the app (accounts, sessions in the store, reconnect policy) run unchanged.
// Sockets are made on the main thread only: in the sqlite store worker, which inherits the preload, it
// does nothing (loading Baileys there would add its modules to the RSS being measured).
'use strict';
const path = require('node:path');
const { isMainThread } = require('node:worker_threads');

const url = process.env.BENCH_WA_WEBSOCKET_URL;
if (!url) throw new Error('memory-baileys-url.cjs needs BENCH_WA_WEBSOCKET_URL');
if (isMainThread) {
  const { BaileysSocketFactory } = require(path.resolve(__dirname, '../../dist/whatsapp/baileys/socket-factory.js'));
  const create = BaileysSocketFactory.prototype.create;
  BaileysSocketFactory.prototype.create = function createAtLocalServer(accountId, config) {
    return create.call(this, accountId, { ...config, waWebSocketUrl: url });
  };
}
