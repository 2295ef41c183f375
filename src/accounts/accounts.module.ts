import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { AccountRepository } from './account.repository';
import { FirestoreAccountRepository } from './account.repository.firestore';
import { SqliteAccountRepository } from './account.repository.sqlite';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

/** The accounts: their records, and (with the provider) their WhatsApp sockets. */
@Module({})
export class AccountsModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: AccountsModule,
      controllers: [AccountsController],
      providers: [AccountsService, repositoryFor(AccountRepository, store, { sqlite: SqliteAccountRepository, firestore: FirestoreAccountRepository })],
      exports: [AccountRepository, AccountsService],
    };
  }
}
