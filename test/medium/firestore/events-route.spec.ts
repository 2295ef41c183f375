import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestApp, startTestApp } from '../../support/app';
import { eventually } from '../../support/eventually';
import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';

describeOnFirestoreEmulator('GET /api/whatsapp/events on firestore', (host) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ STORE: 'firestore', FIREBASE_PROJECT_ID: `demo-events-${randomUUID().slice(0, 8)}`, FIRESTORE_EMULATOR_HOST: host(), SEND_MIN_INTERVAL_MS: '0' });
  });
  afterAll(() => t.close());

  it('pages the changes once they settle, resumable from nextCursor with nothing repeated', async () => {
    const start = (await t.request('GET', '/api/whatsapp/events')).body.nextCursor;
    await t.request('POST', '/api/whatsapp/accounts', { body: { accountId: 'accE' } });
    const page = await eventually(
      () => t.request('GET', `/api/whatsapp/events?after=${start}&accountId=accE`),
      (r) => r.body.items.some((item: { type: string }) => item.type === 'account.created'),
    );
    expect(page.body.items[0]).toMatchObject({ type: 'account.created', data: { accountId: 'accE', account: { accountId: 'accE' } } });
    const again = await t.request('GET', `/api/whatsapp/events?after=${page.body.nextCursor}&types=account.created`);
    expect(again.body.items).toEqual([]);
    expect((await t.request('GET', '/api/whatsapp/events?after=nope')).status).toBe(400);
  });
});
