// The whole app in this process (createApp from dist, the path main.ts and the e2e tests use) on a sqlite
// file with the simulator provider, and the services bench/inbound.mjs drives and reads. The app's
// connection lives in its sqlite store worker; the bench reads the file through a read-only one of its own.
import { createRequire } from 'node:module';
import path from 'node:path';
import { benchAppEnv } from './app-server.mjs';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

/** Loads the compiled classes from `root`/dist (one module instance each, so `app.get(Class)` finds them). */
function dist(root) {
  const from = (file) => require(path.join(root, 'dist', file));
  return {
    loadAppConfig: from('config/app-config.js').loadAppConfig,
    createApp: from('app.factory.js').createApp,
    WhatsAppSimulator: from('whatsapp/simulator/whatsapp-simulator.js').WhatsAppSimulator,
    InboundService: from('messaging/inbound.service.js').InboundService,
    ReceiptsService: from('receipts/receipts.service.js').ReceiptsService,
    AccountsService: from('accounts/accounts.service.js').AccountsService,
    AccountConnections: from('accounts/account-connections.service.js').AccountConnections,
    SendService: from('messaging/send.service.js').SendService,
  };
}

/** Creates the app, its accounts (connected through the simulator) and returns the services. */
export async function startInProcessApp({ root, sqlitePath, accountIds, workerId = 'bench-inbound' }) {
  const classes = dist(root);
  const config = classes.loadAppConfig(
    benchAppEnv(sqlitePath, {
      WA_SIMULATOR_SEND_MS: '0',
      SEND_MIN_INTERVAL_MS: '0',
      ACCOUNT_CAPACITY: String(accountIds.length),
      RATE_LIMIT_PER_MINUTE: '0',
      // The linking restart of each account logs a warning; nothing else is expected.
      LOG_LEVEL: 'error',
      WORKER_ID: workerId,
    }),
  );
  const app = await classes.createApp(config);
  await app.init();
  const services = {
    app,
    simulator: app.get(classes.WhatsAppSimulator),
    inbound: app.get(classes.InboundService),
    receipts: app.get(classes.ReceiptsService),
    send: app.get(classes.SendService),
    // WAL: this reader never blocks the app's writes.
    db: new Database(sqlitePath, { readonly: true, fileMustExist: true }),
    async close() {
      services.db.close();
      await app.close();
    },
  };
  const accounts = app.get(classes.AccountsService);
  const connections = app.get(classes.AccountConnections);
  for (const accountId of accountIds) await accounts.create(accountId, null);
  const deadline = Date.now() + 30_000;
  while (!accountIds.every((accountId) => connections.connectionFor(accountId))) {
    if (Date.now() > deadline) throw new Error('the accounts did not connect within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return services;
}
