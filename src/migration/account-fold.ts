import { AccountRecord, newAccount } from '../accounts/account';
import { isAccountId } from '../common/ids';
import { ChangeWriter } from './change-writer';
import { LayoutChange, LegacyStore } from './legacy-store';
import { LegacyAccount } from './legacy-records';
import { Placement } from './message-placement';
import { MigrationReport } from './migration-report';
import { Progress } from './progress';
import { sameFields } from './same-fields';

export type AccountFold = { kind: 'create'; account: AccountRecord } | { kind: 'fill'; name: string | null; phone: string | null; updatedAt: number } | { kind: 'keep' };

/**
 * What a `wa_accounts` doc adds to `accounts`. Absent there: the account is created from it, unowned
 * and disconnected (or `logged_out` if it was), so an instance takes it and it links again. Present and
 * at least as new: kept as it is. Present but older: only its name and phone come from the legacy doc;
 * ownership, epoch, lease and status are the running instances' fencing state and are never touched.
 */
export function foldAccount(legacy: LegacyAccount, current: AccountRecord | undefined): Placement<AccountFold> {
  if (!isAccountId(legacy.accountId)) return { unplaceable: 'its id is not an account id' };
  if (!current) {
    const createdAt = legacy.createdAt ?? legacy.updatedAt ?? 0;
    const account: AccountRecord = { ...newAccount(legacy.accountId, legacy.name ?? null, createdAt), phone: legacy.phone ?? null, updatedAt: legacy.updatedAt ?? createdAt };
    if (legacy.status === 'logged_out') account.status = 'logged_out';
    return { placed: { kind: 'create', account } };
  }
  // Without a time on the legacy doc, nothing says it is newer: keep what `accounts` holds.
  if (legacy.updatedAt === undefined || current.updatedAt >= legacy.updatedAt) return { placed: { kind: 'keep' } };
  const name = legacy.name ?? current.name;
  const phone = legacy.phone ?? current.phone;
  if (name === current.name && phone === current.phone) return { placed: { kind: 'keep' } };
  return { placed: { kind: 'fill', name, phone, updatedAt: legacy.updatedAt } };
}

/** Folds every `wa_accounts` doc into `accounts`, then removes it once `accounts` reads back right. */
export async function foldLegacyAccounts(store: LegacyStore, writer: ChangeWriter, report: MigrationReport, progress: Progress): Promise<void> {
  const legacyAccounts = await store.legacyAccounts();
  report.count('legacyAccounts', legacyAccounts.length);
  progress.begin('accounts', legacyAccounts.length);
  for (const legacy of legacyAccounts) {
    const path = `wa_accounts/${legacy.accountId}`;
    const fold = foldAccount(legacy, await store.account(legacy.accountId));
    if ('unplaceable' in fold) {
      report.leave(path, fold.unplaceable);
    } else {
      await writer.write(changesFor(legacy.accountId, fold.placed));
      report.count(fold.placed.kind === 'create' ? 'accountsCreated' : fold.placed.kind === 'fill' ? 'accountsFilled' : 'accountsAlreadyCurrent');
      if (writer.dryRun || isFolded(await store.account(legacy.accountId), fold.placed)) {
        await writer.write([{ kind: 'deleteLegacyAccount', accountId: legacy.accountId }]);
        report.count('legacyAccountsRemoved');
      } else {
        report.leave(path, 'accounts doc did not read back as written');
      }
    }
    progress.advance();
  }
  progress.end();
}

function changesFor(accountId: string, fold: AccountFold): LayoutChange[] {
  if (fold.kind === 'create') return [{ kind: 'createAccount', account: fold.account }];
  if (fold.kind === 'fill') return [{ kind: 'fillAccount', accountId, name: fold.name, phone: fold.phone, updatedAt: fold.updatedAt }];
  return [];
}

function isFolded(written: AccountRecord | undefined, fold: AccountFold): boolean {
  if (!written) return false;
  if (fold.kind === 'create') return sameFields(written, fold.account);
  if (fold.kind === 'fill') return written.name === fold.name && written.phone === fold.phone && written.updatedAt === fold.updatedAt;
  return true;
}
