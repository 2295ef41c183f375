import { isIP } from 'node:net';

/**
 * `OUTBOUND_ALLOW_HOSTS`: hosts (`name` or `name:port`) let through the address rules, for local receivers
 * and tests. A name without a port allows every port of it; names compare case-insensitively, IPv6
 * addresses are written in brackets with a port (`[::1]:8080`) or bare without one.
 */
export class AllowHosts {
  private readonly entries: Array<{ host: string; port: number | null }>;

  constructor(entries: Array<{ host: string; port: number | null }> = []) {
    this.entries = entries;
  }

  /** Throws naming the entry when one is not a host or host:port. */
  static parse(list: string | undefined): AllowHosts {
    const entries = (list ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map(parseEntry);
    return new AllowHosts(entries);
  }

  allows(host: string, port: number): boolean {
    const name = normalHost(host);
    return this.entries.some((entry) => entry.host === name && (entry.port === null || entry.port === port));
  }
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function parseEntry(entry: string): { host: string; port: number | null } {
  const bracketed = entry.match(/^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/);
  const withPort = entry.match(/^([^:]+):(\d+)$/);
  const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : withPort ? [withPort[1], withPort[2]] : [entry, undefined];
  const name = normalHost(host);
  if (isIP(name) !== 6 && !HOST_NAME.test(name)) throw new Error(`"${entry}" is not a host or host:port`);
  const portNumber = port === undefined ? null : Number(port);
  if (portNumber !== null && (portNumber < 1 || portNumber > 65535)) throw new Error(`"${entry}" has a port outside 1-65535`);
  return { host: name, port: portNumber };
}

function normalHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}
