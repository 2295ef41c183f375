import { docsOf } from '../../../../src/migration/change-writer';
import { LayoutChange, LegacyStore } from '../../../../src/migration/legacy-store';

export class InjectedFailure extends Error {}

/**
 * The store, except that the write which would take it past `docs` written documents fails whole, as
 * a crash or a lost connection before a batch commits would. Writes go only through `write` and
 * `settleThreadTurn` (the port's promise), so counting those two counts every write.
 */
export function failingAfter(store: LegacyStore, docs: number): LegacyStore {
  let written = 0;
  const spend = (count: number) => {
    if (written + count > docs) throw new InjectedFailure(`injected failure after ${written} docs written`);
    written += count;
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'write') {
        return async (changes: LayoutChange[]) => {
          spend(changes.reduce((sum, change) => sum + docsOf(change), 0));
          await target.write(changes);
        };
      }
      if (property === 'settleThreadTurn') {
        return async (threadId: string) => {
          spend(1);
          return target.settleThreadTurn(threadId);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
