import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { AccessGuard } from './access.guard';
import { AccountKeyLookup } from './account-key-lookup';
import { AccountKeyRepository } from './account-key.repository';
import { AccountKeysController } from './account-keys.controller';
import { ApiKeys } from './api-keys';
import { FirestoreAccountKeyRepository } from './firestore/account-key.repository.firestore';
import { SqliteAccountKeyRepository } from './sqlite/account-key.repository.sqlite';

/**
 * Who may call what: the admin keys and the account keys (their routes and store), and the one guard
 * that applies every route's `@Access` rule. From the composition root: the config and the clock.
 */
@Module({})
export class AccessModule {
  static readonly forStore = perStore((store) => ({
    module: AccessModule,
    imports: [StoreModule],
    controllers: [AccountKeysController],
    providers: [
      ApiKeys,
      AccountKeyLookup,
      { provide: APP_GUARD, useClass: AccessGuard },
      repositoryFor(AccountKeyRepository, store, { sqlite: SqliteAccountKeyRepository, firestore: FirestoreAccountKeyRepository }),
    ],
    exports: [ApiKeys, AccountKeyRepository],
  }));
}
