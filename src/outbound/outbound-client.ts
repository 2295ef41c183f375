import { lookup as dnsLookup } from 'node:dns/promises';
import { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LookupFunction, isIP } from 'node:net';
import { refusalOf } from './address-rules';
import { AllowHosts } from './allow-hosts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Every address a name resolves to; injectable so tests can make a name resolve anywhere. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

export interface OutboundRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** For the whole exchange, redirects and body included. */
  timeoutMs: number;
  /** Redirects followed, each re-checked; 0 returns a 3xx as it came (webhooks follow none). */
  maxRedirects: number;
  /** Certificates to trust beyond Node's own (a receiver with a private CA; the tests' self-signed one). */
  ca?: string | Buffer;
}

export interface OpenResponse {
  response: IncomingMessage;
  /** The URL that answered (after redirects) and the checked address it was reached at. */
  url: string;
  address: string;
  /** Ends the exchange early (the caller read enough). */
  abort(): void;
  /** The answer was read to its end: its timeout is off, and its connection free for the next request. */
  done(): void;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** At most `maxBodyBytes`; `truncated` says the answer was longer. */
  body: Buffer;
  truncated: boolean;
  url: string;
  address: string;
}

/** The request was not made: the URL or the address it resolves to is not one we may reach. */
export class OutboundRefused extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`refused ${url}: ${reason}`);
  }
}

/** The request was made and failed: no answer, a timeout, too many redirects. */
export class OutboundFailed extends Error {}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Kept-alive connection pools, one per (origin, checked address); past this many, the oldest is closed. */
const MAX_POOLS = 256;

/**
 * HTTP(S) requests to addresses apps give us (webhook endpoints, media URLs), kept off this machine and
 * its networks: the name is resolved once, every address it resolves to is checked, and the connection is
 * made to the checked address itself (a pinned lookup), so a second lookup cannot rebind it elsewhere.
 */
export class OutboundClient {
  private readonly pools = new Map<string, HttpAgent>();

  constructor(
    private readonly allowHosts: AllowHosts,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Checks the URL and the addresses its host resolves to; returns the address to connect to. */
  async check(url: string): Promise<{ target: URL; address: ResolvedAddress }> {
    const target = parseTarget(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const literal = isIP(host);
    let addresses: ResolvedAddress[];
    try {
      addresses = literal ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await this.resolve(host);
    } catch (error) {
      throw new OutboundRefused(url, `${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (addresses.length === 0) throw new OutboundRefused(url, `${host} resolves to no address`);
    if (!this.allowHosts.allows(host, port)) {
      // One refused address refuses the name: which one a client connects to is not ours to choose.
      for (const { address } of addresses) {
        const why = refusalOf(address);
        if (why) throw new OutboundRefused(url, `${host} resolves to ${address}, a ${why} address`);
      }
    }
    return { target, address: addresses[0] };
  }

  /** Opens the exchange and hands over the response unread (media streams it; see `request` for a body). */
  async open(request: OutboundRequest): Promise<OpenResponse> {
    const deadline = Date.now() + request.timeoutMs;
    let url = request.url;
    for (let redirects = 0; ; redirects += 1) {
      const opened = await this.openOnce(url, request, deadline);
      const status = opened.response.statusCode ?? 0;
      const location = opened.response.headers.location;
      if (!REDIRECTS.has(status) || !location || request.maxRedirects === 0) return opened;
      opened.abort();
      if (redirects >= request.maxRedirects) throw new OutboundFailed(`more than ${request.maxRedirects} redirects from ${request.url}`);
      url = new URL(location, url).toString();
    }
  }

  /** The whole exchange, the body read up to `maxBodyBytes` (the rest is not read). */
  async request(request: OutboundRequest & { maxBodyBytes: number }): Promise<OutboundResponse> {
    const opened = await this.open(request);
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    try {
      for await (const chunk of opened.response as AsyncIterable<Buffer>) {
        const room = request.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          truncated = true;
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
    } catch (error) {
      opened.abort();
      throw error instanceof OutboundFailed ? error : new OutboundFailed(`${opened.url}: the answer broke off (${(error as Error).message})`);
    }
    // Read to its end, the connection goes back to its pool; one left mid-answer cannot be reused.
    if (truncated) opened.abort();
    else opened.done();
    const { response, url, address } = opened;
    return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), truncated, url, address };
  }

  private async openOnce(url: string, request: OutboundRequest, deadline: number): Promise<OpenResponse> {
    const { target, address } = await this.check(url);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new OutboundFailed(`no answer from ${url} within ${request.timeoutMs} ms`);
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) callback(null, [{ address: address.address, family: address.family }]);
      else callback(null, address.address, address.family);
    };
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<OpenResponse>((resolve, reject) => {
      const agent = request.ca ? false : this.poolFor(target, address.address);
      const outgoing = send(target, { method: request.method ?? 'GET', headers: request.headers, lookup: pinned, agent, ...(request.ca ? { ca: request.ca } : {}) });
      const late = () => new OutboundFailed(`no answer from ${url} within ${request.timeoutMs} ms`);
      const timer = setTimeout(() => {
        const error = late();
        outgoing.destroy(error);
        answered?.destroy(error);
      }, remaining);
      let answered: IncomingMessage | undefined;
      const abort = () => {
        clearTimeout(timer);
        outgoing.destroy();
      };
      const done = () => clearTimeout(timer);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof OutboundFailed ? error : new OutboundFailed(`${url}: ${error.message}`));
      });
      outgoing.on('response', (response) => {
        answered = response;
        response.on('end', () => clearTimeout(timer));
        resolve({ response, url, address: address.address, abort, done });
      });
      outgoing.end(request.body);
    });
  }

  /**
   * Its connections all go to `address`, the one the rules checked (a new one is made through the pinned
   * lookup), so reusing one is no second lookup: a delivery a millisecond apart skips the handshake.
   */
  private poolFor(target: URL, address: string): HttpAgent {
    const key = `${target.protocol}//${target.host}@${address}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = target.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
      this.pools.set(key, pool);
      if (this.pools.size > MAX_POOLS) {
        const [oldest, agent] = this.pools.entries().next().value as [string, HttpAgent];
        agent.destroy();
        this.pools.delete(oldest);
      }
    }
    return pool;
  }
}

function parseTarget(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new OutboundRefused(url, 'not a URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new OutboundRefused(url, `${target.protocol} is not http: or https:`);
  if (target.username || target.password) throw new OutboundRefused(url, 'credentials in the URL are not accepted');
  return target;
}
