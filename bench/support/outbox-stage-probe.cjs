// Preloaded into the app by bench/outbox.mjs beside group-commit-probe.cjs: times each stage of an
// outbox item's way in this process, by wrapping the compiled sqlite outbox repository (src/ untouched):
//   accept   created_at -> the accept write committed (validation before created_at is not included)
//   wait     accept committed -> claimed (hand-off or poll, the round's claim write committed)
//   send     claimed -> the provider's server ack (markSent called)
//   record   markSent called -> `sent` committed
// The bench asks over IPC: 'bench-stages:dump' answers { benchStages } for the items that reached `sent`
// since the previous dump, and also how many claim rounds ran and how long their claim writes took.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { SqliteOutboxRepository } = require(path.resolve(__dirname, '../../dist/outbox/outbox.repository.sqlite.js'));

const epochMs = () => performance.timeOrigin + performance.now();
const items = new Map(); // outbox id -> { createdAt, accepted, claimed, acked }
let done = [];
let rounds = { count: 0, claimed: 0, ms: [] };

const { accept, claim, markSent } = SqliteOutboxRepository.prototype;

SqliteOutboxRepository.prototype.accept = async function probedAccept(send) {
  const outcome = await accept.call(this, send);
  if (outcome.kind === 'accepted') items.set(outcome.item.id, { createdAt: outcome.item.createdAt, accepted: epochMs() });
  return outcome;
};

SqliteOutboxRepository.prototype.claim = async function probedClaim(request) {
  const started = epochMs();
  const claimed = await claim.call(this, request);
  const at = epochMs();
  rounds.count += 1;
  rounds.claimed += claimed.length;
  rounds.ms.push(at - started);
  for (const item of claimed) {
    const known = items.get(item.id);
    if (known) known.claimed = at;
    else items.set(item.id, { createdAt: item.createdAt, claimed: at });
  }
  return claimed;
};

SqliteOutboxRepository.prototype.markSent = async function probedMarkSent(claimRef, now) {
  const acked = epochMs();
  const ended = await markSent.call(this, claimRef, now);
  const known = items.get(claimRef.id);
  if (known) {
    items.delete(claimRef.id);
    done.push({ ...known, acked, recorded: epochMs() });
  }
  return ended;
};

function quantiles(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { n: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: sorted.reduce((a, b) => a + b, 0) / (sorted.length || 1) };
}

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'bench-stages:dump') return;
    const ended = done;
    const claimRounds = rounds;
    done = [];
    rounds = { count: 0, claimed: 0, ms: [] };
    process.send({
      benchStages: {
        items: ended.length,
        accept: quantiles(ended.map((i) => i.accepted - i.createdAt)),
        wait: quantiles(ended.map((i) => i.claimed - (i.accepted ?? i.createdAt))),
        send: quantiles(ended.map((i) => i.acked - i.claimed)),
        record: quantiles(ended.map((i) => i.recorded - i.acked)),
        total: quantiles(ended.map((i) => i.recorded - i.createdAt)),
        rounds: { count: claimRounds.count, claimedPerRound: claimRounds.claimed / (claimRounds.count || 1), claimWrite: quantiles(claimRounds.ms) },
      },
    });
  });
}
