import { DynamicModule, Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { repositoryFor } from '../store/store.module';
import { AccountConnections } from './account-connections.service';
import { AccountEvents } from './account-events';
import { AccountOwnership } from './account-ownership.service';
import { AccountPurger } from './account-purger.service';
import { AccountPurges } from './account-purges';
import { FirestoreAccountPurges } from './account-purges.firestore';
import { SqliteAccountPurges } from './account-purges.sqlite';
import { AccountRepository } from './account.repository';
import { FirestoreAccountRepository } from './account.repository.firestore';
import { SqliteAccountRepository } from './account.repository.sqlite';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { OperatorRequests } from './operator-requests';
import { PairingRelay } from './pairing-relay';
import { SessionRepository } from './session.repository';
import { FirestoreSessionRepository } from './session.repository.firestore';
import { SqliteSessionRepository } from './session.repository.sqlite';

/**
 * The accounts: their records, which instance holds which, and their WhatsApp sockets. Global, because
 * messaging, receipts and the outbox all listen to `AccountEvents` and send through `AccountConnections`.
 */
@Module({})
export class AccountsModule {
  static forStore(store: StoreKind): DynamicModule {
    return {
      module: AccountsModule,
      global: true,
      controllers: [AccountsController],
      providers: [
        AccountsService,
        AccountConnections,
        AccountOwnership,
        AccountEvents,
        PairingRelay,
        OperatorRequests,
        AccountPurger,
        repositoryFor(AccountPurges, store, { sqlite: SqliteAccountPurges, firestore: FirestoreAccountPurges }),
        repositoryFor(AccountRepository, store, { sqlite: SqliteAccountRepository, firestore: FirestoreAccountRepository }),
        repositoryFor(SessionRepository, store, { sqlite: SqliteSessionRepository, firestore: FirestoreSessionRepository }),
      ],
      exports: [AccountRepository, AccountConnections, AccountEvents],
    };
  }
}
