import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AllowHosts } from '../../src/outbound/allow-hosts';
import { OutboundClient, OutboundFailed, OutboundRefused, Resolver } from '../../src/outbound/outbound-client';

/** A receiver on 127.0.0.1 that answers by path. */
function receiver(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handle);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

describe('OutboundClient', () => {
  let server: Server;
  let port: number;
  const seen: Array<{ method: string; url: string; body: string; host: string }> = [];

  beforeAll(async () => {
    server = await receiver((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, body, host: req.headers.host! });
        if (req.url === '/hang') return; // never answers
        if (req.url === '/big') return res.end(Buffer.alloc(200 * 1024, 97));
        const hops = req.url!.match(/^\/hop\/(\d+)$/);
        if (hops) {
          const left = Number(hops[1]);
          res.writeHead(302, { location: left === 0 ? '/done' : `/hop/${left - 1}` });
          return res.end();
        }
        if (req.url === '/to-metadata') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          return res.end();
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`ok ${req.method} ${req.url}`);
      });
    });
    port = portOf(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const allowLocal = new OutboundClient(AllowHosts.parse('127.0.0.1'));
  const request = (client: OutboundClient, url: string, extra: Partial<Parameters<OutboundClient['request']>[0]> = {}) =>
    client.request({ url, timeoutMs: 2000, maxRedirects: 0, maxBodyBytes: 64 * 1024, ...extra });

  it('refuses a loopback receiver unless OUTBOUND_ALLOW_HOSTS names it, before any connection', async () => {
    const before = seen.length;
    await expect(request(new OutboundClient(new AllowHosts()), `http://127.0.0.1:${port}/x`)).rejects.toThrow(/127\.0\.0\.1.*loopback/);
    expect(seen.length).toBe(before);
    const answer = await request(allowLocal, `http://127.0.0.1:${port}/x`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    expect(answer).toMatchObject({ status: 200, truncated: false, address: '127.0.0.1' });
    expect(answer.body.toString()).toBe('ok POST /x');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });

  it('resolves a name once and connects to the checked address itself (no second lookup to rebind)', async () => {
    const lookups: string[] = [];
    // `receiver.test` exists in no DNS: reaching the server proves the connection used the checked address.
    const resolver: Resolver = async (host) => (lookups.push(host), [{ address: '127.0.0.1', family: 4 }]);
    const client = new OutboundClient(AllowHosts.parse(`receiver.test:${port}`), resolver);
    const answer = await request(client, `http://receiver.test:${port}/named`);
    expect(answer.body.toString()).toBe('ok GET /named');
    expect(seen.at(-1)!.host).toBe(`receiver.test:${port}`);
    expect(lookups).toEqual(['receiver.test']);
  });

  it.each([
    [['10.0.0.5'], /resolves to 10\.0\.0\.5, a private address/],
    [['93.184.216.34', '192.168.0.10'], /resolves to 192\.168\.0\.10, a private address/],
    [['::ffff:127.0.0.1'], /IPv4-mapped form of a loopback address/],
    [[], /resolves to no address/],
  ])('refuses a name that resolves to %j', async (addresses, message) => {
    const resolver: Resolver = async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    await expect(request(new OutboundClient(new AllowHosts(), resolver), 'https://hooks.example.test/in')).rejects.toThrow(message);
  });

  it.each([
    ['ftp://example.com/file', /ftp: is not http: or https:/],
    ['file:///etc/passwd', /file: is not http: or https:/],
    ['http://user:secret@example.com/', /credentials in the URL/],
    ['not a url', /not a URL/],
  ])('refuses %s', async (url, message) => {
    const refused = request(allowLocal, url);
    await expect(refused).rejects.toBeInstanceOf(OutboundRefused);
    await expect(refused).rejects.toThrow(message);
  });

  it('follows no redirect when told none (webhooks): the 3xx is the answer', async () => {
    const answer = await request(allowLocal, `http://127.0.0.1:${port}/hop/0`);
    expect(answer.status).toBe(302);
  });

  it('follows up to the redirects allowed (media: 3), re-checking each, and fails past them', async () => {
    const followed = await request(allowLocal, `http://127.0.0.1:${port}/hop/2`, { maxRedirects: 3 });
    expect(followed).toMatchObject({ status: 200, url: `http://127.0.0.1:${port}/done` });
    await expect(request(allowLocal, `http://127.0.0.1:${port}/hop/3`, { maxRedirects: 3 })).rejects.toThrow(/more than 3 redirects/);
    await expect(request(allowLocal, `http://127.0.0.1:${port}/to-metadata`, { maxRedirects: 3 })).rejects.toThrow(/169\.254\.169\.254.*link-local/);
  });

  it('reads at most the body limit and says it stopped there', async () => {
    const answer = await request(allowLocal, `http://127.0.0.1:${port}/big`);
    expect(answer).toMatchObject({ status: 200, truncated: true });
    expect(answer.body.length).toBe(64 * 1024);
  });

  it('reuses a connection to the checked address for the next request, and never one left mid-answer', async () => {
    const client = new OutboundClient(AllowHosts.parse('127.0.0.1'));
    const sockets = new Set<unknown>();
    const count = (req: IncomingMessage) => sockets.add(req.socket);
    server.on('request', count);
    try {
      for (let i = 0; i < 5; i++) expect((await request(client, `http://127.0.0.1:${port}/again-${i}`)).status).toBe(200);
      expect(sockets.size).toBe(1);
      // The truncated answer came on that connection, which is closed, not pooled: the next request opens another.
      await request(client, `http://127.0.0.1:${port}/big`);
      expect(sockets.size).toBe(1);
      await request(client, `http://127.0.0.1:${port}/after-big`);
      expect(sockets.size).toBe(2);
    } finally {
      server.off('request', count);
    }
  });

  it('gives up on a receiver that never answers, at the timeout', async () => {
    await expect(request(allowLocal, `http://127.0.0.1:${port}/hang`, { timeoutMs: 300 })).rejects.toThrow(OutboundFailed);
    await expect(request(allowLocal, `http://127.0.0.1:${port}/hang`, { timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
  });

  it('speaks HTTPS to a pinned address, verifying the certificate against the name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wa-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=receiver.test', '-addext', 'subjectAltName=DNS:receiver.test',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      const tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => res.end('secure'));
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', () => resolve()));
      const tlsPort = (tls.address() as AddressInfo).port;
      const resolver: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
      const client = new OutboundClient(AllowHosts.parse('receiver.test'), resolver);
      // Untrusted by default: the certificate is checked, against the name and not the pinned address.
      await expect(request(client, `https://receiver.test:${tlsPort}/`)).rejects.toThrow(/self-signed|self signed/);
      const trusting = (url: string) => client.request({ url, timeoutMs: 2000, maxRedirects: 0, maxBodyBytes: 1024, ca: cert });
      expect((await trusting(`https://receiver.test:${tlsPort}/`)).body.toString()).toBe('secure');
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
