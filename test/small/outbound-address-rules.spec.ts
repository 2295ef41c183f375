import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../src/outbound/address-rules';
import { AllowHosts } from '../../src/outbound/allow-hosts';

describe('outbound address rules', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'this network'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['192.0.2.10', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved or broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique local (private)'],
    ['fd12:3456::1', 'unique local (private)'],
    ['fd00:ec2::254', 'unique local (private)'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped form of a loopback address'],
    ['::ffff:7f00:1', 'IPv4-mapped form of a loopback address'],
    ['::ffff:169.254.169.254', 'IPv4-mapped form of a link-local (cloud metadata) address'],
    ['64:ff9b::10.0.0.1', 'NAT64 form of a private address'],
    ['64:ff9b::a00:1', 'NAT64 form of a private address'],
    ['64:ff9b:1::c0a8:101', 'local-use NAT64 form of a private address'],
    ['::10.0.0.1', 'IPv4-compatible form of a private address'],
    ['not-an-ip', 'not an IP address'],
  ])('refuses %s (%s)', (address, why) => {
    expect(refusalOf(address)).toBe(why);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'lets ordinary public unicast %s through',
    (address) => {
      expect(refusalOf(address)).toBeNull();
    },
  );
});

describe('OUTBOUND_ALLOW_HOSTS', () => {
  it('allows a named host on every port, a host:port on that port only, names case-insensitively', () => {
    const allow = AllowHosts.parse(' Receiver.Test , 127.0.0.1:8080,[::1]:9000, ::1 ');
    expect(allow.allows('receiver.test', 443)).toBe(true);
    expect(allow.allows('RECEIVER.test.', 80)).toBe(true);
    expect(allow.allows('127.0.0.1', 8080)).toBe(true);
    expect(allow.allows('127.0.0.1', 8081)).toBe(false);
    expect(allow.allows('[::1]', 1234)).toBe(true);
    expect(allow.allows('other.test', 443)).toBe(false);
    expect(AllowHosts.parse(undefined).allows('127.0.0.1', 80)).toBe(false);
  });

  it.each([['http://x.test', 'is not a host'], ['a b', 'is not a host'], ['x.test:0', 'outside 1-65535'], ['x.test:70000', 'outside 1-65535']])('refuses the entry %s, naming it', (entry, message) => {
    expect(() => AllowHosts.parse(`ok.test,${entry}`)).toThrow(new RegExp(`"${entry.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" .*${message}`));
  });
});
