// Preloaded into the app by bench/outbox.mjs beside group-commit-probe.cjs: times each stage of an
// outbox item's way in this process, by wrapping the compiled sqlite outbox repository (src/ untouched).
// Workers inherit the preload, so it runs in the sqlite store worker too (src/store/sqlite/worker), which
// is where SqliteOutboxRepository runs: the stages are stamped there, at the moment each write commits.
//   accept   created_at (main thread) -> the accept write committed (store thread): the call's way to
//            the store thread and its group commit (validation before created_at is not included)
//   wait     accept committed -> the round's claim write committed (hand-off or poll)
//   send     claim committed -> the provider's server ack (markSent's `now`, main thread clock): the
//            claim's answer reaching the main thread, then the send
//   record   server ack -> `sent` committed (store thread): the markSent call's way there and its commit
// On the main thread it also times the outbox calls through the store worker's stubs (call -> answer),
// so the round trip can be set beside the time the same calls took inside the store thread.
// The bench asks over IPC: 'bench-stages:dump' answers { benchStages } for the items that reached `sent`
// since the previous dump, the claim rounds that ran and the call times; the main thread asks the store
// worker for its part over a BroadcastChannel and merges. Without a worker (the Firestore store, or a
// build from before 85d3066) the main thread's own records are the whole answer.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { isMainThread } = require('node:worker_threads');
const { storeWorkerRelay } = require('./store-worker-relay.cjs');

const dist = path.resolve(__dirname, '../../dist');
const { SqliteOutboxRepository } = require(path.join(dist, 'outbox/sqlite/outbox.repository.sqlite.js'));

const PROBED = ['accept', 'claim', 'markSent'];
const epochMs = () => performance.timeOrigin + performance.now();
const items = new Map(); // outbox id -> { createdAt, accepted, claimed }
let current = newWindow();

function newWindow() {
  return {
    done: [], // [createdAt, accepted, claimed, acked, recorded] of each item that reached `sent`
    rounds: 0,
    claimed: 0,
    storeMs: { accept: [], claim: [], markSent: [] }, // each call's time where the adapter runs
    roundTripMs: { accept: [], claim: [], markSent: [] }, // main thread, through the store worker's stubs
  };
}

const { accept, claim, markSent } = SqliteOutboxRepository.prototype;

SqliteOutboxRepository.prototype.accept = async function probedAccept(send) {
  const started = epochMs();
  const outcome = await accept.call(this, send);
  const at = epochMs();
  current.storeMs.accept.push(at - started);
  if (outcome.kind === 'accepted') items.set(outcome.item.id, { createdAt: outcome.item.createdAt, accepted: at });
  return outcome;
};

SqliteOutboxRepository.prototype.claim = async function probedClaim(request) {
  const started = epochMs();
  const claimed = await claim.call(this, request);
  const at = epochMs();
  current.rounds += 1;
  current.claimed += claimed.length;
  current.storeMs.claim.push(at - started);
  for (const item of claimed) {
    const known = items.get(item.id);
    if (known) known.claimed = at;
    else items.set(item.id, { createdAt: item.createdAt, claimed: at });
  }
  return claimed;
};

SqliteOutboxRepository.prototype.markSent = async function probedMarkSent(claimRef, now) {
  const started = epochMs();
  const ended = await markSent.call(this, claimRef, now);
  const recorded = epochMs();
  current.storeMs.markSent.push(recorded - started);
  const known = items.get(claimRef.id);
  if (known) {
    items.delete(claimRef.id);
    current.done.push([known.createdAt, known.accepted, known.claimed, now, recorded]);
  }
  return ended;
};

/** On the main thread, the store worker's stub for the outbox port: each call timed until its answer. */
function probeStoreWorkerStubs() {
  const client = path.join(dist, 'store/sqlite/worker/store-worker-client.js');
  if (!fs.existsSync(client)) return;
  const { SqliteStoreWorker } = require(client);
  const adapter = SqliteStoreWorker.prototype.adapter;
  SqliteStoreWorker.prototype.adapter = function probedAdapter(port, adapterClass) {
    const remote = adapter.call(this, port, adapterClass);
    if (adapterClass !== SqliteOutboxRepository) return remote;
    for (const method of PROBED) {
      const call = remote[method];
      remote[method] = async function timedCall(...args) {
        const started = epochMs();
        try {
          return await call.apply(this, args);
        } finally {
          current.roundTripMs[method].push(epochMs() - started);
        }
      };
    }
    return remote;
  };
}

/** This thread's window, a new one started. */
function takeWindow() {
  const ended = current;
  current = newWindow();
  return ended;
}

function quantiles(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1) };
}

/** The process's report from the main thread's window and the store worker's (if there is one). */
function report(main, store) {
  const windows = store ? [main, store] : [main];
  const done = windows.flatMap((w) => w.done);
  const rounds = windows.reduce((sum, w) => sum + w.rounds, 0);
  const claimed = windows.reduce((sum, w) => sum + w.claimed, 0);
  const calls = (kind) => Object.fromEntries(PROBED.map((method) => [method, quantiles(windows.flatMap((w) => w[kind][method]))]));
  const [createdAt, accepted, claimedAt, acked, recorded] = [0, 1, 2, 3, 4];
  return {
    storeThread: store !== undefined,
    items: done.length,
    accept: quantiles(done.map((i) => i[accepted] - i[createdAt])),
    wait: quantiles(done.map((i) => i[claimedAt] - (i[accepted] ?? i[createdAt]))),
    send: quantiles(done.map((i) => i[acked] - i[claimedAt])),
    record: quantiles(done.map((i) => i[recorded] - i[acked])),
    total: quantiles(done.map((i) => i[recorded] - i[createdAt])),
    rounds: { count: rounds, claimedPerRound: claimed / (rounds || 1), claimWrite: quantiles(windows.flatMap((w) => w.storeMs.claim)) },
    storeCalls: calls('storeMs'),
    roundTrips: main.roundTripMs.accept.length + main.roundTripMs.claim.length + main.roundTripMs.markSent.length > 0 ? calls('roundTripMs') : undefined,
  };
}

const askStoreWorker = storeWorkerRelay('bench-stages', takeWindow);

if (isMainThread) {
  probeStoreWorkerStubs();
  if (process.send) {
    process.on('message', async (message) => {
      if (message !== 'bench-stages:dump') return;
      const main = takeWindow();
      process.send({ benchStages: report(main, await askStoreWorker()) });
    });
  }
}
