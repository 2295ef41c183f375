import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { accountIdOf, linkAccounts } from '../support/delivery-scenario';
import { startServer } from '../support/server-process';
import { readSimulatorLog } from '../support/simulator-log';

it('probe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-probe-'));
  const KEY = 'shutdown-key-0123456789abcdef';
  const log = join(dir, 'sim.log');
  const server = await startServer({ API_KEYS: KEY, WA_PROVIDER: 'simulator', SQLITE_PATH: join(dir, 'w.db'), WA_SIMULATOR_SEND_MS: '200', WA_SIMULATOR_LOG: log, SEND_MIN_INTERVAL_MS: '0', OUTBOX_POLL_MS: '50', WORKER_ID: 'w1' });
  await linkAccounts({ key: KEY, endpoints: [{ url: server.url }], accounts: 10, messages: 0, recipientsPerAccount: 1 });
  const mode = process.env.PROBE_MODE ?? 'burst';
  const t0 = Date.now();
  const N = Number(process.env.PROBE_N ?? 800);
  const post = (i: number) => fetch(`${server.url}/api/whatsapp/send-message`, { method: 'POST', headers: { 'x-api-key': KEY, 'content-type': 'application/json' }, body: JSON.stringify({ accountId: accountIdOf(i % 10), to: `4072${String(i).padStart(7, '0')}`, message: `m${i}` }) }).then((r) => r.status);
  if (mode === 'burst') await Promise.all(Array.from({ length: N }, (_, i) => post(i)));
  else { let next = 0; await Promise.all(Array.from({ length: Number(process.env.PROBE_C ?? 100) }, async () => { while (next < N) await post(next++); })); }
  console.log('accepted in', Date.now() - t0, 'ms');
  await new Promise((r) => setTimeout(r, 3000));
  const sends = readSimulatorLog(log).filter((l) => l.type === 'send').map((l) => l.at).sort((a, b) => a - b);
  let max = 0; let j = 0; const series: string[] = [];
  for (let i = 0; i < sends.length; i++) { while (sends[j] <= sends[i] - 200) j++; const c = i - j + 1; if (c > max) max = c; }
  for (let t = sends[0]; t <= sends[sends.length - 1]; t += 100) series.push(String(sends.filter((s) => s > t - 200 && s <= t).length));
  console.log('sends', sends.length, 'max in flight', max, 'first send at +', sends[0] - t0, 'last at +', sends[sends.length - 1] - t0, 'series', series.join(' '));
  await server.stop();
}, 200_000);
