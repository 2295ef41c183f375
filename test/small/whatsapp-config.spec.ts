import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app-config';

const load = (env: Record<string, string>) => loadAppConfig({ SQLITE_PATH: '/tmp/x.db', ...env });
const failure = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe("configuration of WhatsApp's version and limits", () => {
  it("defaults: Baileys' own version; 429 pauses 60 s doubling to 15 min; a 463 without an end 1 h", () => {
    expect(load({})).toMatchObject({ waWebVersion: null, pauses: { rateOverlimitMs: 60_000, rateOverlimitMaxMs: 900_000, reachOutLockMs: 3_600_000 } });
  });

  it('reads each variable', () => {
    const config = load({ WA_WEB_VERSION: '2.3000.1023223821', WA_PAUSE_DEFAULT_MS: '1000', WA_PAUSE_MAX_MS: '8000', WA_REACH_OUT_LOCK_MS: '5000' });
    expect(config).toMatchObject({ waWebVersion: [2, 3000, 1023223821], pauses: { rateOverlimitMs: 1000, rateOverlimitMaxMs: 8000, reachOutLockMs: 5000 } });
  });

  it.each([
    [{ WA_WEB_VERSION: '2.3000' }, /WA_WEB_VERSION="2.3000": must be three dot-separated integers/],
    [{ WA_WEB_VERSION: 'v2.3000.1' }, /WA_WEB_VERSION="v2.3000.1": must be three dot-separated integers/],
    [{ WA_WEB_VERSION: '2.3000.1.4' }, /WA_WEB_VERSION=/],
    [{ WA_WEB_VERSION: '2.3000.-1' }, /WA_WEB_VERSION=/],
    [{ WA_PAUSE_DEFAULT_MS: 'soon' }, /WA_PAUSE_DEFAULT_MS="soon"/],
    [{ WA_PAUSE_DEFAULT_MS: '10' }, /WA_PAUSE_DEFAULT_MS="10"/],
    [{ WA_REACH_OUT_LOCK_MS: '-1' }, /WA_REACH_OUT_LOCK_MS="-1"/],
    [{ WA_PAUSE_DEFAULT_MS: '60000', WA_PAUSE_MAX_MS: '1000' }, /WA_PAUSE_MAX_MS must be at least WA_PAUSE_DEFAULT_MS/],
  ])('refuses %o at start, naming the variable', (env, message) => {
    expect(failure(env)).toMatch(message);
  });
});
