import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { OutboxModule } from '../outbox/outbox.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { AccountActivity } from './account-activity';
import { AccountSummaryController } from './account-summary.controller';
import { AccountSummaries } from './account-summary.service';
import { FirestoreAccountActivity } from './firestore/account-activity.firestore';
import { SqliteAccountActivity } from './sqlite/account-activity.sqlite';

/**
 * An account at a glance for the operator's console: its record (accounts), its outbox counts (outbox)
 * and its latest message times, read together and kept 10 s. The clock comes from the composition root.
 */
@Module({})
export class AccountSummaryModule {
  static readonly forStore = perStore((store) => ({
    module: AccountSummaryModule,
    imports: [StoreModule, AccountsModule.forStore(store), OutboxModule.forStore(store)],
    controllers: [AccountSummaryController],
    providers: [AccountSummaries, repositoryFor(AccountActivity, store, { sqlite: SqliteAccountActivity, firestore: FirestoreAccountActivity })],
  }));
}
