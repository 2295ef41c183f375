import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app-config';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const load = (env: Record<string, string>) => loadAppConfig({ SQLITE_PATH: '/tmp/x.db', ...env });
const failure = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('webhook and outbound configuration', () => {
  it('defaults: no wh_env, 10 s attempts, 4 at a time per endpoint, 11 attempts, no host let through', () => {
    const config = load({});
    expect(config).toMatchObject({ envWebhook: null, webhookTimeoutMs: 10_000, webhookConcurrency: 4, webhookMaxAttempts: 11 });
    expect(config.outboundAllowHosts.allows('127.0.0.1', 80)).toBe(false);
  });

  it('reads each variable', () => {
    const config = load({ WEBHOOK_URL: 'https://hooks.example.com/in', WEBHOOK_SECRET: SECRET, WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_CONCURRENCY: '2', WEBHOOK_MAX_ATTEMPTS: '3', OUTBOUND_ALLOW_HOSTS: '127.0.0.1:9000, receiver.test' });
    expect(config).toMatchObject({ envWebhook: { url: 'https://hooks.example.com/in', secret: SECRET }, webhookTimeoutMs: 500, webhookConcurrency: 2, webhookMaxAttempts: 3 });
    expect([config.outboundAllowHosts.allows('127.0.0.1', 9000), config.outboundAllowHosts.allows('127.0.0.1', 9001), config.outboundAllowHosts.allows('RECEIVER.test', 1)]).toEqual([true, false, true]);
  });

  it.each([
    [{ WEBHOOK_URL: 'https://hooks.example.com/in' }, /WEBHOOK_SECRET is required with WEBHOOK_URL/],
    [{ WEBHOOK_SECRET: SECRET }, /WEBHOOK_URL is required with WEBHOOK_SECRET/],
    [{ WEBHOOK_URL: 'ftp://hooks.example.com/in', WEBHOOK_SECRET: SECRET }, /WEBHOOK_URL="ftp:\/\/hooks.example.com\/in": must be an http: or https: URL/],
    [{ OUTBOUND_ALLOW_HOSTS: '127.0.0.1:99999' }, /OUTBOUND_ALLOW_HOSTS=.*port outside 1-65535/],
    [{ OUTBOUND_ALLOW_HOSTS: 'http://x' }, /OUTBOUND_ALLOW_HOSTS=.*"http:\/\/x" is not a host or host:port/],
    [{ WEBHOOK_TIMEOUT_MS: '0' }, /WEBHOOK_TIMEOUT_MS/],
    [{ WEBHOOK_CONCURRENCY: 'many' }, /WEBHOOK_CONCURRENCY/],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, /WEBHOOK_MAX_ATTEMPTS/],
  ])('refuses %j, naming the variable', (env, message) => {
    expect(failure(env)).toMatch(message);
  });

  it.each([
    ['no prefix', randomBytes(32).toString('base64')],
    ['too short a key (16 bytes)', `whsec_${randomBytes(16).toString('base64')}`],
    ['not base64', `whsec_${'!'.repeat(40)}`],
    ['base64url instead of base64', `whsec_${Buffer.alloc(32, 0xfb).toString('base64url')}`],
  ])('refuses a WEBHOOK_SECRET with %s, naming it without repeating it', (_why, secret) => {
    const message = failure({ WEBHOOK_URL: 'https://hooks.example.com/in', WEBHOOK_SECRET: secret });
    expect(message).toMatch(/WEBHOOK_SECRET=\[redacted\]: must be "whsec_" followed by the base64 of at least 24 random bytes/);
    expect(message).not.toContain(secret.replace('whsec_', ''));
  });

  it('takes a 24-byte key, the shortest allowed', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    expect(load({ WEBHOOK_URL: 'http://127.0.0.1:9000/in', WEBHOOK_SECRET: secret }).envWebhook?.secret).toBe(secret);
  });
});
