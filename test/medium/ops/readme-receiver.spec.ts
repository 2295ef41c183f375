import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../../src/webhooks/webhook-signature';
import { freePort } from '../../support/server-process';

/** The receiver the README shows, run as written against deliveries signed the way the app signs them. */
describe("the README's webhook receiver", () => {
  // Inside the project, so `standardwebhooks` resolves from node_modules as it would in an app.
  const dir = mkdtempSync(join(process.cwd(), '.readme-receiver-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 204 to a delivery signed with its secret, 400 to a tampered or unsigned one', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Hearing events'));
    const code = section.match(/```js\n([\s\S]*?)```/)![1];
    expect(code.split('\n').filter((line) => line.trim()).length).toBeLessThanOrEqual(12);
    writeFileSync(join(dir, 'receiver.mjs'), code);
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const port = await freePort();
    child = spawn(process.execPath, [join(dir, 'receiver.mjs')], { env: { PATH: process.env.PATH ?? '', WEBHOOK_SECRET: secret, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const printed: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => printed.push(chunk.toString()));
    const body = JSON.stringify({ type: 'message.received', timestamp: new Date().toISOString(), data: { id: 'evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4', accountId: 'acme' } });
    const post = async (payload: string, headers: Record<string, string>) => {
      for (let tries = 0; ; tries++) {
        try {
          return (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload })).status;
        } catch (error) {
          if (tries > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const signed = { ...signatureHeaders('evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4', Date.now(), body, [secret]) };
    expect(await post(body, signed)).toBe(204);
    expect(await post(body.replace('acme', 'acme_'), signed)).toBe(400);
    expect(await post(body, {})).toBe(400);
    const other = new Webhook(`whsec_${randomBytes(32).toString('base64')}`).sign('evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4', new Date(), body);
    expect(await post(body, { ...signed, 'webhook-signature': other })).toBe(400);
    expect(printed.join('')).toBe('message.received evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4\n');
  });
});
