import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/config/app-config';

const failure = (env: Record<string, string>) => {
  try {
    loadAppConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('media configuration', () => {
  it.each([
    [{}, './data/media', null],
    [{ SQLITE_PATH: '/var/lib/wa/whatsapp.db' }, '/var/lib/wa/media', null],
    [{ SQLITE_PATH: '/var/lib/wa/whatsapp.db', MEDIA_PATH: '/mnt/media' }, '/mnt/media', null],
    [{ STORE: 'firestore', FIREBASE_PROJECT_ID: 'acme-wa', API_KEYS: 'k'.repeat(24) }, 'data/media', 'acme-wa.appspot.com'],
    [{ STORE: 'firestore', FIREBASE_PROJECT_ID: 'acme-wa', API_KEYS: 'k'.repeat(24), MEDIA_BUCKET: 'acme-wa-media' }, 'data/media', 'acme-wa-media'],
  ])('%j keeps media at %s / bucket %s', (env, path, bucket) => {
    const config = loadAppConfig(env);
    expect(config.mediaPath.replace(/^\.\//, '')).toBe(path.replace(/^\.\//, ''));
    expect(config.mediaBucket).toBe(bucket);
  });

  it.each([
    [{ MEDIA_BUCKET: 'Not A Bucket' }, /MEDIA_BUCKET="Not A Bucket": must be a Cloud Storage bucket name/],
    [{ MEDIA_MAX_MB: '0' }, /MEDIA_MAX_MB="0": /],
    [{ MEDIA_FETCH_TIMEOUT_MS: 'soon' }, /MEDIA_FETCH_TIMEOUT_MS="soon": /],
  ])('refuses %j naming the variable', (env, message) => {
    expect(failure(env)).toMatch(message);
  });
});
