import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app-config';
import { MediaLinkSigner } from '../../src/media-serve/media-link-signer';
import { FakeClock } from '../support/fake-clock';

const SECRET = 'media-link-secret-for-tests-0123456789';
const THREAD = 'acc1__40712345678@s.whatsapp.net';

function signer(env: Record<string, string> = {}) {
  const clock = new FakeClock();
  const config = loadAppConfig({ SQLITE_PATH: '/nonexistent/x.db', MEDIA_LINK_SECRET: SECRET, PUBLIC_URL: 'https://wa.example.com/', MEDIA_LINK_TTL_S: '60', ...env });
  return { clock, links: new MediaLinkSigner(config, clock) };
}

/** A link's route parameters, as the public route reads them. */
function partsOf(url: string) {
  const parsed = new URL(url);
  return { messageRef: parsed.pathname.replace(/^\/media\//, ''), exp: parsed.searchParams.get('exp') ?? undefined, sig: parsed.searchParams.get('sig') ?? undefined };
}

describe('signed media links', () => {
  it('names the message it was minted for, under PUBLIC_URL', () => {
    const { links } = signer();
    const url = links.linkTo(THREAD, 'm1')!;
    expect(url).toMatch(/^https:\/\/wa\.example\.com\/media\/[A-Za-z0-9_-]+\.m1\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
    expect(links.messageOf(partsOf(url))).toEqual({ threadId: THREAD, messageId: 'm1' });
  });

  it('holds for MEDIA_LINK_TTL_S and is refused from then on', () => {
    const { clock, links } = signer();
    const url = links.linkTo(THREAD, 'm1')!;
    clock.advance(59_999);
    expect(links.messageOf(partsOf(url)).messageId).toBe('m1');
    clock.advance(1);
    expect(() => links.messageOf(partsOf(url))).toThrow(/^sig: the link expired at /);
  });

  it.each([
    ['another message', (p: ReturnType<typeof partsOf>) => ({ ...p, messageRef: p.messageRef.replace(/\.m1$/, '.m2') })],
    ['a later expiry', (p: ReturnType<typeof partsOf>) => ({ ...p, exp: String(Number(p.exp) + 3600) })],
    ['a changed signature', (p: ReturnType<typeof partsOf>) => ({ ...p, sig: `${p.sig!.slice(0, -1)}${p.sig!.endsWith('A') ? 'B' : 'A'}` })],
    ['no signature', (p: ReturnType<typeof partsOf>) => ({ ...p, sig: undefined })],
    ['an expiry that is no number', (p: ReturnType<typeof partsOf>) => ({ ...p, exp: '1e12' })],
  ])('refuses a link with %s', (_, tamper) => {
    const { links } = signer();
    expect(() => links.messageOf(tamper(partsOf(links.linkTo(THREAD, 'm1')!)))).toThrow(/^sig: the link is not one this service signed/);
  });

  it('refuses a link signed under another secret', () => {
    const url = signer({ MEDIA_LINK_SECRET: 'another-secret-of-enough-length-0123456789' }).links.linkTo(THREAD, 'm1')!;
    expect(() => signer().links.messageOf(partsOf(url))).toThrow(/not one this service signed/);
  });

  it('mints none on Firestore without MEDIA_LINK_SECRET, and refuses every link', () => {
    const config = loadAppConfig({ STORE: 'firestore', FIREBASE_PROJECT_ID: 'acme-wa', API_KEYS: 'k'.repeat(24) });
    const links = new MediaLinkSigner(config, new FakeClock());
    expect(links.linkTo(THREAD, 'm1')).toBeNull();
    expect(() => links.messageOf({ messageRef: 'x.m1', exp: '1', sig: 'y' })).toThrow(/MEDIA_LINK_SECRET is unset/);
  });
});
