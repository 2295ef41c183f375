// The whole app in this process (createApp from dist, the path main.ts and the e2e tests use) on a sqlite
// file with the simulator provider, and the services bench/inbound.mjs drives and reads.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

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
    SqliteStore: from('store/sqlite/sqlite-store.js').SqliteStore,
    GroupCommit: from('store/sqlite/group-commit.js').GroupCommit,
    maxBatch: from('store/sqlite/group-commit.js').MAX_BATCH ?? 256,
  };
}

/** Creates the app, its accounts (connected through the simulator) and returns the services. */
export async function startInProcessApp({ root, sqlitePath, accountIds, workerId = 'bench-inbound' }) {
  const classes = dist(root);
  const config = classes.loadAppConfig({
    SQLITE_PATH: sqlitePath,
    STORE: 'sqlite',
    WA_PROVIDER: 'simulator',
    WA_SIMULATOR_SEND_MS: '0',
    SEND_MIN_INTERVAL_MS: '0',
    ACCOUNT_CAPACITY: String(accountIds.length),
    RATE_LIMIT_PER_MINUTE: '0',
    API_KEYS: 'bench-key-0123456789abcdef',
    // The linking restart of each account logs a warning; nothing else is expected.
    LOG_LEVEL: 'error',
    WORKER_ID: workerId,
  });
  const app = await classes.createApp(config);
  await app.init();
  const services = {
    app,
    simulator: app.get(classes.WhatsAppSimulator),
    inbound: app.get(classes.InboundService),
    receipts: app.get(classes.ReceiptsService),
    send: app.get(classes.SendService),
    db: app.get(classes.SqliteStore).db,
    GroupCommit: classes.GroupCommit,
    maxBatch: classes.maxBatch,
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

/**
 * Counts this process's group commits from now on (wrapping the compiled GroupCommit, src/ untouched):
 * transactions, writes, and the time spent in COMMIT (the fsync) and in whole flushes.
 */
export function countGroupCommits(GroupCommit, maxBatch = 256) {
  const counts = { batches: 0, writes: 0, flushMs: 0, commitMs: 0 };
  const flush = GroupCommit.prototype.flush;
  GroupCommit.prototype.flush = function countedFlush() {
    const db = this.db;
    const exec = db.exec;
    const size = Math.min(this.queue.length, maxBatch);
    const started = performance.now();
    db.exec = function timedExec(sql) {
      if (sql !== 'COMMIT') return exec.call(this, sql);
      const at = performance.now();
      try {
        return exec.call(this, sql);
      } finally {
        counts.commitMs += performance.now() - at;
      }
    };
    try {
      return flush.call(this);
    } finally {
      db.exec = exec;
      counts.batches += 1;
      counts.writes += size;
      counts.flushMs += performance.now() - started;
    }
  };
  return {
    snapshot: () => ({ ...counts }),
    restore: () => {
      GroupCommit.prototype.flush = flush;
    },
  };
}
