import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { ServerProcess, startServer } from '../support/server-process';
import { ServerSentEvent, readEventStream } from '../support/sse';

const ADMIN_KEY = 'revocation-test-key-0123456789';

describe('an account key deleted through one process is refused by another within 5 s (two processes, one sqlite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-revocation-'));
  const env = { SQLITE_PATH: join(dir, 'whatsapp.db'), API_KEYS: ADMIN_KEY, WA_PROVIDER: 'simulator' };
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });
  const call = async (server: ServerProcess, method: string, path: string, key: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: response.status === 204 ? null : ((await response.json()) as any) };
  };

  it('refuses its requests (401) and ends its open stream (event: revoked) on the other process', async () => {
    servers.push(await startServer({ ...env, WORKER_ID: 'w1' }), await startServer({ ...env, WORKER_ID: 'w2' }));
    const [one, other] = servers;
    expect((await call(one, 'POST', '/api/whatsapp/accounts', ADMIN_KEY, { accountId: 'acc1' })).status).toBe(201);
    const created = (await call(one, 'POST', '/api/whatsapp/keys', ADMIN_KEY, { name: 'app', accountIds: ['acc1'], scopes: ['read'] })).body;
    const read = () => call(other, 'GET', '/api/whatsapp/accounts/acc1', created.key);
    expect((await read()).status).toBe(200);
    const response = await fetch(`${other.url}/api/whatsapp/events`, { headers: { accept: 'text/event-stream', 'x-api-key': created.key } });
    expect(response.status).toBe(200);
    const events: ServerSentEvent[] = [];
    const reading = readEventStream(response, (event) => events.push(event));

    expect((await call(one, 'DELETE', `/api/whatsapp/keys/${created.keyId}`, ADMIN_KEY)).status).toBe(204);
    const deletedAt = Date.now();
    expect((await eventually(read, (r) => r.status === 401, 6_000)).status).toBe(401);
    expect(Date.now() - deletedAt).toBeLessThan(5_000);
    await reading;
    expect(Date.now() - deletedAt).toBeLessThan(5_000);
    expect(events.at(-1)?.event).toBe('revoked');
  });
});
