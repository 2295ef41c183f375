#!/usr/bin/env node
// Where a V8 CPU profile (from `npm run bench:send -- --cpu-profile`) spent its samples: self time by
// package or app file, then the heaviest functions, and the inclusive time of a few named frames.
//   node bench/support/cpu-profile-summary.mjs /tmp/bench-send-XXXX/probe.N.cpuprofile [top=25]
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/support/cpu-profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const selfMicros = new Map();
// Sample 0 carries the time from Profiler.start to the first tick, charged to the inspector call that started it.
for (let i = 1; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalMicros = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const idleMicros = [...selfMicros].filter(([id]) => nodes.get(id).callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);

function place(callFrame) {
  const url = callFrame.url;
  if (!url) return callFrame.functionName.startsWith('(') ? callFrame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const app = /\/(dist|bench)\/(.+)$/.exec(url);
  if (app) return `${app[1]}/${app[2]}`;
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

const add = (map, key, micros) => map.set(key, (map.get(key) ?? 0) + micros);
const byPlace = new Map();
const byFunction = new Map();
for (const [id, micros] of selfMicros) {
  const { callFrame } = nodes.get(id);
  if (callFrame.functionName === '(idle)') continue;
  add(byPlace, place(callFrame), micros);
  add(byFunction, `${callFrame.functionName || '(anonymous)'} ${place(callFrame)}:${callFrame.lineNumber + 1}`, micros);
}

// Inclusive time of frames named on the command line after `top`, e.g. `flush` or `validate`.
const inclusive = new Map();
const watched = process.argv.slice(4);
if (watched.length > 0) {
  for (const [id, micros] of selfMicros) {
    if (nodes.get(id).callFrame.functionName === '(idle)') continue;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const name = nodes.get(at).callFrame.functionName;
      if (watched.includes(name) && !seen.has(name)) {
        seen.add(name);
        add(inclusive, name, micros);
      }
    }
  }
}

const busy = totalMicros - idleMicros;
const pct = (micros) => `${((micros / busy) * 100).toFixed(1).padStart(5)} %`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(micros)}  ${key}`);
};
console.log(`${(totalMicros / 1e6).toFixed(1)} s sampled, ${((idleMicros / totalMicros) * 100).toFixed(1)} % idle; shares below are of the ${(busy / 1e6).toFixed(1)} s not idle`);
print('self time by place', byPlace);
print('self time by function', byFunction);
if (watched.length > 0) print('inclusive time of named frames', inclusive);
