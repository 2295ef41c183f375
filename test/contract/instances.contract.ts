import { describe, expect, it } from 'vitest';
import { MakeStoreFixture } from './store-fixture';

const T0 = Date.UTC(2026, 11, 3, 10, 0, 0);

export function instancesContract(make: MakeStoreFixture): void {
  describe('InstanceRegistry', () => {
    it('shows the instances seen since a time, each as its last heartbeat says, to another connection too', async () => {
      const store = await make();
      const other = await store.reopen();
      await store.instances.heartbeat({ workerId: 'w2', startedAt: T0, seenAt: T0 + 1_000 });
      await store.instances.heartbeat({ workerId: 'w1', startedAt: T0, seenAt: T0 + 5_000 });
      await other.instances.heartbeat({ workerId: 'w3', startedAt: T0, seenAt: T0 + 9_000 });
      await store.instances.heartbeat({ workerId: 'w2', startedAt: T0, seenAt: T0 + 10_000 });

      expect(await other.instances.seenSince(T0 + 5_000)).toEqual([
        { workerId: 'w1', startedAt: T0, seenAt: T0 + 5_000 },
        { workerId: 'w2', startedAt: T0, seenAt: T0 + 10_000 },
        { workerId: 'w3', startedAt: T0, seenAt: T0 + 9_000 },
      ]);
      expect((await store.instances.seenSince(T0 + 9_500)).map((instance) => instance.workerId)).toEqual(['w2']);
      await other.close();
      await store.close();
    });

    it('takes a restart under the same worker id as a new incarnation, and forgets one that left', async () => {
      const store = await make();
      await store.instances.heartbeat({ workerId: 'w1', startedAt: T0, seenAt: T0 });
      await store.instances.heartbeat({ workerId: 'w2', startedAt: T0, seenAt: T0 });
      await store.instances.heartbeat({ workerId: 'w1', startedAt: T0 + 60_000, seenAt: T0 + 60_000 });
      await store.instances.leave('w2');
      await store.instances.leave('w9');
      expect(await store.instances.seenSince(T0)).toEqual([{ workerId: 'w1', startedAt: T0 + 60_000, seenAt: T0 + 60_000 }]);
      await store.close();
    });
  });
}
