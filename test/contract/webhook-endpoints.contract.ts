import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/common/errors';
import { newWebhookId } from '../../src/common/ids';
import { PREVIOUS_SECRET_LIFETIME_MS, WebhookEndpoint, newWebhookSecret, signingSecrets } from '../../src/webhooks/webhook-endpoint';
import { MakeStoreFixture } from './store-fixture';

const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);
const HOUR = 3_600_000;

function endpoint(fields: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    webhookId: newWebhookId(),
    url: 'https://hooks.example.com/in',
    events: ['*'],
    accountIds: null,
    description: null,
    enabled: true,
    disabledReason: null,
    secrets: { current: newWebhookSecret(), previous: null },
    createdAt: T0,
    updatedAt: T0,
    ...fields,
  };
}

export function webhookEndpointsContract(make: MakeStoreFixture): void {
  describe('WebhookEndpointRepository', () => {
    it('keeps an endpoint as created, its secret included, and lists endpoints oldest first', async () => {
      const store = await make();
      const second = endpoint({ createdAt: T0 + 1, events: ['message.received', 'account.status'], accountIds: ['acc1', 'acc2_'], description: 'CRM' });
      const first = endpoint();
      await store.webhooks.create(second);
      await store.webhooks.create(first);
      expect(await store.webhooks.get(second.webhookId)).toEqual(second);
      expect(await store.webhooks.list()).toEqual([first, second]);
      expect(await store.webhooks.get('wh_none')).toBeNull();
      await store.close();
    });

    it('changes the fields a PATCH gives and no other; an endpoint that does not exist answers null', async () => {
      const store = await make();
      const created = endpoint({ accountIds: ['acc1'], description: 'old' });
      await store.webhooks.create(created);
      const changed = await store.webhooks.update(created.webhookId, { url: 'https://other.example.com/x', events: ['message.sent'], description: null }, T0 + 5);
      const expected = { ...created, url: 'https://other.example.com/x', events: ['message.sent'], description: null, updatedAt: T0 + 5 };
      expect(changed).toEqual(expected);
      expect(await store.webhooks.get(created.webhookId)).toEqual(expected);
      expect((await store.webhooks.update(created.webhookId, { accountIds: null }, T0 + 6))!.accountIds).toBeNull();
      expect(await store.webhooks.update('wh_none', { enabled: false }, T0)).toBeNull();
      await store.close();
    });

    it('disables an endpoint with its reason (a 410: gone) until a PATCH enables it again', async () => {
      const store = await make();
      const created = endpoint();
      await store.webhooks.create(created);
      await store.webhooks.disable(created.webhookId, 'gone', T0 + 1);
      expect(await store.webhooks.get(created.webhookId)).toMatchObject({ enabled: false, disabledReason: 'gone', updatedAt: T0 + 1 });
      // A PATCH disabling what is disabled keeps the reason it was disabled for.
      await store.webhooks.update(created.webhookId, { enabled: false }, T0 + 2);
      expect(await store.webhooks.get(created.webhookId)).toMatchObject({ enabled: false, disabledReason: 'gone' });
      await store.webhooks.update(created.webhookId, { enabled: true }, T0 + 3);
      expect(await store.webhooks.get(created.webhookId)).toMatchObject({ enabled: true, disabledReason: null });
      await store.webhooks.update(created.webhookId, { enabled: false }, T0 + 4);
      expect(await store.webhooks.get(created.webhookId)).toMatchObject({ enabled: false, disabledReason: 'byRequest' });
      expect(await store.webhooks.disable('wh_none', 'gone', T0)).toBeNull();
      await store.close();
    });

    it('keeps the previous secret signing beside a rotated one until a day after the rotation', async () => {
      const store = await make();
      const created = endpoint();
      await store.webhooks.create(created);
      const fresh = newWebhookSecret();
      await store.webhooks.rotateSecret(created.webhookId, fresh, T0 + HOUR);
      const rotated = (await store.webhooks.get(created.webhookId))!;
      expect(rotated.secrets).toEqual({ current: fresh, previous: { secret: created.secrets.current, expiresAt: T0 + HOUR + PREVIOUS_SECRET_LIFETIME_MS } });
      expect(signingSecrets(rotated.secrets, T0 + 2 * HOUR)).toEqual([fresh, created.secrets.current]);
      expect(signingSecrets(rotated.secrets, T0 + HOUR + PREVIOUS_SECRET_LIFETIME_MS)).toEqual([fresh]);
      // A second rotation keeps only the one it replaces: the oldest stops signing at once.
      const third = newWebhookSecret();
      await store.webhooks.rotateSecret(created.webhookId, third, T0 + 2 * HOUR);
      expect(signingSecrets((await store.webhooks.get(created.webhookId))!.secrets, T0 + 2 * HOUR)).toEqual([third, fresh]);
      expect(await store.webhooks.rotateSecret('wh_none', third, T0)).toBeNull();
      await store.close();
    });

    it("removes a deleted account from every endpoint's list, disabling one left with none, never widening it", async () => {
      const store = await make();
      const shared = endpoint({ accountIds: ['acc1', 'acc2'] });
      const only = endpoint({ accountIds: ['acc1'] });
      const all = endpoint();
      const other = endpoint({ accountIds: ['acc1_'] });
      for (const e of [shared, only, all, other]) await store.webhooks.create(e);
      expect(await store.webhooks.removeAccount('acc1', T0 + 1)).toBe(2);
      expect(await store.webhooks.get(shared.webhookId)).toEqual({ ...shared, accountIds: ['acc2'], updatedAt: T0 + 1 });
      expect(await store.webhooks.get(only.webhookId)).toEqual({ ...only, accountIds: [], enabled: false, disabledReason: 'noAccounts', updatedAt: T0 + 1 });
      expect(await store.webhooks.get(all.webhookId)).toEqual(all);
      expect(await store.webhooks.get(other.webhookId)).toEqual(other);
      // Enabling it again needs accounts: with none left it would match nothing.
      await expect(store.webhooks.update(only.webhookId, { enabled: true }, T0 + 2)).rejects.toBeInstanceOf(InvalidInput);
      expect(await store.webhooks.update(only.webhookId, { enabled: true, accountIds: ['acc3'] }, T0 + 2)).toMatchObject({ enabled: true, accountIds: ['acc3'] });
      expect(await store.webhooks.removeAccount('ghost', T0 + 3)).toBe(0);
      await store.close();
    });

    it('keeps both removals when two connections remove two accounts of one endpoint at once', async () => {
      const store = await make();
      const other = await store.reopen();
      const created = endpoint({ accountIds: ['acc1', 'acc2', 'acc3'] });
      await store.webhooks.create(created);
      await Promise.all([store.webhooks.removeAccount('acc1', T0 + 1), other.webhooks.removeAccount('acc2', T0 + 1)]);
      expect((await store.webhooks.get(created.webhookId))!.accountIds).toEqual(['acc3']);
      await other.close();
      await store.close();
    });

    it('declares wh_env for every event and account, then updates it in place: a new secret rotates, a disabled one stays disabled', async () => {
      const store = await make();
      const secret = newWebhookSecret();
      const declared = await store.webhooks.upsertEnv('https://env.example.com/in', secret, T0);
      expect(declared).toMatchObject({ webhookId: 'wh_env', url: 'https://env.example.com/in', events: ['*'], accountIds: null, enabled: true, createdAt: T0 });
      expect(await store.webhooks.get('wh_env')).toEqual(declared);
      // The same declaration again changes nothing, not even updatedAt.
      expect(await store.webhooks.upsertEnv('https://env.example.com/in', secret, T0 + 1)).toEqual(declared);
      await store.webhooks.update('wh_env', { events: ['message.sent'], accountIds: ['acc1'] }, T0 + 2);
      await store.webhooks.disable('wh_env', 'gone', T0 + 3);
      const next = newWebhookSecret();
      const again = await store.webhooks.upsertEnv('https://env2.example.com/in', next, T0 + 4);
      expect(again).toMatchObject({ webhookId: 'wh_env', url: 'https://env2.example.com/in', events: ['*'], accountIds: null, enabled: false, disabledReason: 'gone', createdAt: T0, updatedAt: T0 + 4 });
      expect(again.secrets).toEqual({ current: next, previous: { secret, expiresAt: T0 + 4 + PREVIOUS_SECRET_LIFETIME_MS } });
      expect(await store.webhooks.get('wh_env')).toEqual(again);
      expect((await store.webhooks.list()).map((e) => e.webhookId)).toEqual(['wh_env']);
      await store.close();
    });

    it('deletes an endpoint once', async () => {
      const store = await make();
      const created = endpoint();
      await store.webhooks.create(created);
      expect(await store.webhooks.delete(created.webhookId)).toBe(true);
      expect(await store.webhooks.get(created.webhookId)).toBeNull();
      expect(await store.webhooks.delete(created.webhookId)).toBe(false);
      expect(await store.webhooks.list()).toEqual([]);
      await store.close();
    });
  });
}
