import { RulesTestEnvironment, assertFails, assertSucceeds } from '@firebase/rules-unit-testing';
import {
  Firestore,
  collection,
  collectionGroup,
  deleteDoc,
  doc,
  getDoc,
  getDocs,
  orderBy,
  query,
  setDoc,
  setLogLevel,
  updateDoc,
  where,
} from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';
import { clientOf, rulesEnvironment } from './support/rules-environment';

const OWN = 'acc1';
const OTHER = 'acc2';
const CLIENT = '40712345678@s.whatsapp.net';
const ownThread = `threads/${OWN}__${CLIENT}`;
const otherThread = `threads/${OTHER}__${CLIENT}`;
const oldThread = `threads/${CLIENT}`;
// An account id may end in `_`: `acme_`'s thread is `acme___{jid}`, which begins with `acme__`.
const UNDERSCORED = 'acme_';
const PLAIN = 'acme';
const underscoredThread = `threads/${UNDERSCORED}__${CLIENT}`;
const plainThread = `threads/${PLAIN}__${CLIENT}`;

/** What the server (Admin SDK, rules bypassed) has written; each path is then read as a client. */
const SERVER_DOCS: Record<string, Record<string, unknown>> = {
  [ownThread]: { accountId: OWN, clientJid: CLIENT, lastMessageAt: 2, lastMessageText: 'hi', lastMessageDirection: 'inbound' },
  [`${ownThread}/messages/m1`]: { accountId: OWN, threadId: `${OWN}__${CLIENT}`, text: 'hi', createdAt: 2 },
  [otherThread]: { accountId: OTHER, clientJid: CLIENT, lastMessageAt: 3, lastMessageText: 'yo', lastMessageDirection: 'inbound' },
  [`${otherThread}/messages/m2`]: { accountId: OTHER, threadId: `${OTHER}__${CLIENT}`, text: 'yo', createdAt: 3 },
  [oldThread]: { accountId: OWN, lastMessageAt: 1 },
  [`${oldThread}/messages/m0`]: { accountId: OWN, text: 'old layout' },
  [underscoredThread]: { accountId: UNDERSCORED, clientJid: CLIENT, lastMessageAt: 4, lastMessageText: 'a_', lastMessageDirection: 'inbound' },
  [`${underscoredThread}/messages/m3`]: { accountId: UNDERSCORED, threadId: `${UNDERSCORED}__${CLIENT}`, text: 'a_', createdAt: 4 },
  [plainThread]: { accountId: PLAIN, clientJid: CLIENT, lastMessageAt: 5, lastMessageText: 'a', lastMessageDirection: 'inbound' },
  [`${plainThread}/messages/m4`]: { accountId: PLAIN, threadId: `${PLAIN}__${CLIENT}`, text: 'a', createdAt: 5 },
  [`accounts/${OWN}`]: { status: 'connected', owner: 'worker-1/abc', ownerEpoch: 3 },
  [`accounts/${OWN}/session/creds`]: { value: '{"noiseKey":"secret"}' },
  [`accounts/${OWN}/contactAliases/123@lid`]: { lid: '123@lid', pn: CLIENT },
  [`outbox/${OWN}__req-1`]: { accountId: OWN, status: 'queued', requestHash: 'h', answer: { requestId: 'req-1' } },
  [`messageLookup/${OWN}__inbound__3EB0AA`]: { accountId: OWN, messageRef: `${ownThread}/messages/m1` },
  [`wa_accounts/${OWN}`]: { name: 'legacy' },
  ['events/evt_01']: { accountId: OWN, type: 'message.received', subject: { text: 'hi' } },
  ['webhooks/wh_1']: { url: 'https://hooks.example.com/in', accountIds: [OWN], secret: 'whsec_c2VjcmV0' },
  ['webhookDeliveries/wh_1__evt_01']: { webhookId: 'wh_1', eventId: 'evt_01', status: 'delivered' },
  ['webhookAttempts/a1']: { webhookId: 'wh_1', eventId: 'evt_01', statusCode: 200, result: 'delivered' },
  ['webhookDispatch/cursor']: { cursor: 'c' },
  ['webhookPauses/wh_1']: { until: 1 },
  ['apiKeys/key_AAAAAAAAAAAAAAAA']: { keyId: 'key_AAAAAAAAAAAAAAAA', accountIds: [OWN], scopes: ['read'], hash: 'ab12' },
};
const SERVER_ONLY = [
  `accounts/${OWN}`,
  `accounts/${OWN}/session/creds`,
  `accounts/${OWN}/contactAliases/123@lid`,
  `outbox/${OWN}__req-1`,
  `messageLookup/${OWN}__inbound__3EB0AA`,
  `wa_accounts/${OWN}`,
  'events/evt_01',
  'webhooks/wh_1',
  'webhookDeliveries/wh_1__evt_01',
  'webhookAttempts/a1',
  'webhookDispatch/cursor',
  'webhookPauses/wh_1',
  'apiKeys/key_AAAAAAAAAAAAAAAA',
];

describeOnFirestoreEmulator('firestore.rules: apps read only their accounts, write nothing', (host) => {
  let env: RulesTestEnvironment;
  let owner: Firestore; // claim: [acc1]
  let both: Firestore; // claim: [acc1, acc2]
  let noClaim: Firestore;
  let anonymous: Firestore;
  let plainUser: Firestore; // claim: [acme]
  let underscoredUser: Firestore; // claim: [acme_]

  beforeAll(async () => {
    // The web SDK logs every refused write stream as a warning: here refusals are the expected outcome.
    setLogLevel('error');
    env = await rulesEnvironment(host());
    await env.withSecurityRulesDisabled(async (context) => {
      const db = clientOf(context);
      for (const [path, fields] of Object.entries(SERVER_DOCS)) await setDoc(doc(db, path), fields);
    });
    owner = clientOf(env.authenticatedContext('user-1', { accounts: [OWN] }));
    both = clientOf(env.authenticatedContext('user-2', { accounts: [OWN, OTHER] }));
    noClaim = clientOf(env.authenticatedContext('user-3'));
    anonymous = clientOf(env.unauthenticatedContext());
    plainUser = clientOf(env.authenticatedContext('user-4', { accounts: [PLAIN] }));
    underscoredUser = clientOf(env.authenticatedContext('user-5', { accounts: [UNDERSCORED] }));
  });
  afterAll(() => env?.cleanup());

  describe('a user whose claim names the account', () => {
    it('reads its thread and a message by path', async () => {
      await assertSucceeds(getDoc(doc(owner, ownThread)));
      await assertSucceeds(getDoc(doc(owner, `${ownThread}/messages/m1`)));
      // Judged by the path: a thread of its account that does not exist yet answers "absent", not "refused".
      expect((await assertSucceeds(getDoc(doc(owner, `threads/${OWN}__40700000000@s.whatsapp.net`)))).exists()).toBe(false);
    });

    it('lists its threads with a query constrained by accountId, and a thread`s messages newest first', async () => {
      const threads = await assertSucceeds(getDocs(query(collection(owner, 'threads'), where('accountId', '==', OWN))));
      expect(threads.docs.map((d) => d.id)).toContain(`${OWN}__${CLIENT}`);
      const messages = await assertSucceeds(getDocs(query(collection(owner, `${ownThread}/messages`), orderBy('createdAt', 'desc'))));
      expect(messages.docs.map((d) => d.id)).toEqual(['m1']);
    });

    it('reads every account its claim names, and only those', async () => {
      await assertSucceeds(getDoc(doc(both, otherThread)));
      await assertSucceeds(getDocs(query(collection(both, 'threads'), where('accountId', '==', OTHER))));
      await assertFails(getDocs(query(collection(both, 'threads'), where('accountId', '==', 'acc3'))));
    });
  });

  describe("another account's conversations", () => {
    it('refuses its thread and messages, by path and by query', async () => {
      await assertFails(getDoc(doc(owner, otherThread)));
      await assertFails(getDoc(doc(owner, `${otherThread}/messages/m2`)));
      await assertFails(getDocs(collection(owner, `${otherThread}/messages`)));
      await assertFails(getDocs(query(collection(owner, 'threads'), where('accountId', '==', OTHER))));
    });

    it('refuses a query that does not say which account (rules are not filters)', async () => {
      await assertFails(getDocs(collection(owner, 'threads')));
      await assertFails(getDocs(query(collection(owner, 'threads'), orderBy('lastMessageAt', 'desc'))));
    });

    it('refuses a collection-group query over all messages', async () => {
      await assertFails(getDocs(query(collectionGroup(owner, 'messages'), where('accountId', '==', OWN))));
    });

    it('refuses an old-layout thread named by a bare JID (it may mix accounts) and its messages', async () => {
      await assertFails(getDoc(doc(owner, oldThread)));
      await assertFails(getDoc(doc(owner, `${oldThread}/messages/m0`)));
      await assertFails(getDocs(collection(owner, `${oldThread}/messages`)));
    });

    it('still lists an old-layout thread doc that carries the accountId, until the migration removes it', async () => {
      // A list rule cannot see doc ids: the known gap the thread-id migration closes (docs/migration.md).
      const threads = await assertSucceeds(getDocs(query(collection(owner, 'threads'), where('accountId', '==', OWN))));
      expect(threads.docs.map((d) => d.id).sort()).toEqual([CLIENT, `${OWN}__${CLIENT}`]);
    });
  });

  describe('an account id ending in `_` (its thread ids split at the last `__`)', () => {
    it('lets its own users read its threads and messages', async () => {
      await assertSucceeds(getDoc(doc(underscoredUser, underscoredThread)));
      await assertSucceeds(getDoc(doc(underscoredUser, `${underscoredThread}/messages/m3`)));
      const messages = await assertSucceeds(getDocs(collection(underscoredUser, `${underscoredThread}/messages`)));
      expect(messages.docs.map((d) => d.id)).toEqual(['m3']);
      expect((await assertSucceeds(getDoc(doc(underscoredUser, `threads/${UNDERSCORED}__40700000000@s.whatsapp.net`)))).exists()).toBe(false);
    });

    it('refuses them to users of the account its id begins with, and the other way round', async () => {
      await assertFails(getDoc(doc(plainUser, underscoredThread)));
      await assertFails(getDoc(doc(plainUser, `${underscoredThread}/messages/m3`)));
      await assertFails(getDocs(collection(plainUser, `${underscoredThread}/messages`)));
      await assertFails(getDoc(doc(underscoredUser, plainThread)));
      await assertFails(getDoc(doc(underscoredUser, `${plainThread}/messages/m4`)));
      await assertSucceeds(getDoc(doc(plainUser, `${plainThread}/messages/m4`)));
    });
  });

  it('refuses every client write, even to its own account', async () => {
    const writes = [
      () => setDoc(doc(owner, ownThread), { accountId: OWN, lastMessageText: 'forged' }),
      () => updateDoc(doc(owner, ownThread), { lastMessageText: 'forged' }),
      () => deleteDoc(doc(owner, ownThread)),
      () => setDoc(doc(owner, `threads/${OWN}__40799999999@s.whatsapp.net`), { accountId: OWN, clientJid: '40799999999@s.whatsapp.net' }),
      () => setDoc(doc(owner, `${ownThread}/messages/forged`), { accountId: OWN, text: 'forged' }),
      () => updateDoc(doc(owner, `${ownThread}/messages/m1`), { status: 'read' }),
      () => deleteDoc(doc(owner, `${ownThread}/messages/m1`)),
      ...SERVER_ONLY.map((path) => () => setDoc(doc(owner, path), { forged: true })),
      () => setDoc(doc(owner, `outbox/${OWN}__req-forged`), { accountId: OWN, status: 'queued' }),
    ];
    for (const write of writes) await assertFails(write());
  });

  it('refuses sessions, contact aliases, the outbox (idempotency records), the lookup, account docs, events, webhooks (their secrets) and deliveries (items, attempts, dispatch cursor, pauses)', async () => {
    for (const path of SERVER_ONLY) await assertFails(getDoc(doc(both, path)));
    for (const path of ['accounts', `accounts/${OWN}/session`, `accounts/${OWN}/contactAliases`, 'outbox', 'messageLookup', 'wa_accounts', 'events', 'webhooks', 'webhookDeliveries', 'webhookAttempts', 'webhookDispatch', 'webhookPauses']) {
      await assertFails(getDocs(collection(both, path)));
    }
    await assertFails(getDocs(query(collection(both, 'outbox'), where('accountId', '==', OWN))));
    await assertFails(getDocs(query(collection(both, 'events'), where('accountId', '==', OWN))));
    await assertFails(getDocs(query(collection(both, 'webhooks'), where('accountIds', 'array-contains', OWN))));
    await assertFails(getDocs(query(collection(both, 'webhookAttempts'), where('webhookId', '==', 'wh_1'))));
  });

  it('refuses a signed-in user without the claim, and an unauthenticated one', async () => {
    for (const db of [noClaim, anonymous]) {
      await assertFails(getDoc(doc(db, ownThread)));
      await assertFails(getDoc(doc(db, `${ownThread}/messages/m1`)));
      await assertFails(getDocs(query(collection(db, 'threads'), where('accountId', '==', OWN))));
      await assertFails(setDoc(doc(db, ownThread), { accountId: OWN }));
    }
  });
});
