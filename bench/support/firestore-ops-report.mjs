// Turns the repository calls logged during one step of a message's life into lifecycle stages and
// markdown tables (bench/firestore-ops.mjs prints them; with --record, docs/BENCHMARKS.md keeps a copy).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:firestore-ops:start -->';
const END = '<!-- bench:firestore-ops:end -->';

/** Lookups the send and inbound paths make to resolve a contact's one thread: charged to the call they serve. */
const IDENTITY = new Set(['contactAliases.lidOf', 'contactAliases.pnOf', 'contactAliases.remember', 'threads.getThread']);
/** What the simulator's injection routes read for themselves (a test stand-in: no such reads in production). */
const SIMULATOR_ROUTE = new Set(['accounts.get', 'threads.findByWaMessageId']);

/** The stage a store call serves, within a step of the lifecycle (`send`, `delivered`, `read`, `inbound`, `inbound again`). */
function stageOfCall(step, call) {
  if (!call.via && SIMULATOR_ROUTE.has(call.label)) return NOT_IN_PRODUCTION;
  switch (call.label) {
    case 'outbox.accept':
      return 'accepted';
    case 'outbox.claim':
      return call.outcome === '0 items' ? 'next claim round, finding nothing' : 'claimed';
    case 'outbox.markSent':
      return 'sent';
    case 'threads.storeProviderMessage':
      return step === 'send' ? 'echo of the send (Baileys repeats our own message: a duplicate)' : `${step} (${call.outcome})`;
    case 'statuses.advance':
      return step;
    case 'deliveries.dispatchedThrough':
    case 'eventLog.read':
    case 'deliveries.dispatch':
      return 'webhook: the event fanned out (cursor, log page, item)';
    case 'endpoints.list':
    case 'deliveries.claim':
      return 'webhook: the item claimed';
    case 'deliveries.record':
      return 'webhook: the attempt logged, the item delivered';
    default:
      return `${step}: ${call.label} (background)`;
  }
}

/**
 * Each call with its stage. The calls one service call made (`via`) share the stage of its store call
 * proper, so the contact lookups of a send or of an inbound message count with it.
 */
export function stagesOf(step, calls) {
  const principal = new Map();
  for (const call of calls) if (call.via && !IDENTITY.has(call.label) && !principal.has(call.via.id)) principal.set(call.via.id, call);
  return calls.map((call) => ({ ...call, stage: stageOfCall(step, (call.via && principal.get(call.via.id)) ?? call) }));
}

export const NOT_IN_PRODUCTION = "simulator route's own lookup (not in production)";

/** Totals over the calls of some steps, leaving out what only the simulator's injection routes read. */
export function lifecycleTotal(name, steps) {
  const calls = steps.flatMap((step) => step.calls).filter((call) => call.stage !== NOT_IN_PRODUCTION);
  const sum = (field) => calls.reduce((total, call) => total + call[field], 0);
  return { stage: name, rpcs: sum('rpcs'), reads: sum('reads'), writes: sum('writes'), transactions: calls.filter((c) => c.transaction).length };
}

/** Totals over a step's webhook calls only (the inbound write that made the event is counted above). */
export function webhookTotal(name, steps) {
  return lifecycleTotal(name, steps.map((step) => ({ ...step, calls: step.calls.filter((call) => call.stage.startsWith('webhook:')) })));
}

/** One row per stage, in the order stages were first met: RPCs, billed reads, billed writes. */
export function stageTable(staged) {
  const rows = new Map();
  for (const call of staged) {
    const row = rows.get(call.stage) ?? { stage: call.stage, rpcs: 0, reads: 0, writes: 0, transactions: 0 };
    row.rpcs += call.rpcs;
    row.reads += call.reads;
    row.writes += call.writes;
    row.transactions += call.transaction ? 1 : 0;
    rows.set(call.stage, row);
  }
  return [...rows.values()];
}

const SHORT = { batchGetDocuments: 'get', runQuery: 'query', runAggregationQuery: 'count', commit: 'commit', beginTransaction: 'begin', rollback: 'rollback' };

/** `get 3 (tx) · commit 4w (tx)`: the RPCs of one call, with what each carried. */
export function rpcsOf(call) {
  return call.ops
    .map((op) => {
      const name = SHORT[op.method] ?? op.method;
      const size = op.method === 'commit' ? ` ${op.writes}w` : op.method === 'batchGetDocuments' || op.method === 'runQuery' ? ` ${op.results}` : '';
      return `${name}${size}${op.transactional ? ' (tx)' : ''}`;
    })
    .join(' · ');
}

export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Rewrites only what lies between this benchmark's markers in `file` (others write the other sections:
 * the file is read right before it is written); the section is appended, with its heading, if absent.
 */
export function recordFirestoreOps(file, generated) {
  const block = `${START}\n${generated.trim()}\n${END}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const updated =
    start >= 0 && end > start
      ? text.slice(0, start) + block + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n## Firestore operations (\`npm run bench:firestore-ops\`)\n\n${block}\n`;
  writeFileSync(file, updated);
}
