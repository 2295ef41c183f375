import { Module } from '@nestjs/common';
import { MessagingModule } from '../messaging/messaging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { AccountConnections } from './account-connections.service';
import { AccountDrains } from './account-drains';
import { AccountPauses } from './account-pauses.service';
import { InstanceRegistry } from './instance-registry';
import { FirestoreInstanceRegistry } from './firestore/instance-registry.firestore';
import { SqliteInstanceRegistry } from './sqlite/instance-registry.sqlite';
import { SocketInputs } from './socket-inputs';
import { AccountGauges } from './account-gauges';
import { AccountOwnership } from './account-ownership.service';
import { AccountPurger } from './account-purger.service';
import { AccountPurges } from './account-purges';
import { FirestoreAccountPurges } from './firestore/account-purges.firestore';
import { SqliteAccountPurges } from './sqlite/account-purges.sqlite';
import { AccountRepository } from './account.repository';
import { FirestoreAccountRepository } from './firestore/account.repository.firestore';
import { SqliteAccountRepository } from './sqlite/account.repository.sqlite';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { OperatorRequests } from './operator-requests';
import { PairingRelay } from './pairing-relay';
import { SessionRepository } from './session.repository';
import { FirestoreSessionRepository } from './firestore/session.repository.firestore';
import { SqliteSessionRepository } from './sqlite/session.repository.sqlite';

/**
 * The accounts: their records, which instance holds which, and their WhatsApp sockets, which publish
 * what they hear on the provider-event bus. From the composition root: `AccountSends` (the outbox's
 * items an ending fails and a purge removes) and the clock.
 */
@Module({})
export class AccountsModule {
  static readonly forStore = perStore((store) => ({
    module: AccountsModule,
    imports: [StoreModule, WhatsAppModule, MessagingModule.forStore(store), MetricsModule],
    controllers: [AccountsController],
    providers: [
      AccountsService,
      AccountConnections,
      SocketInputs,
      AccountOwnership,
      AccountGauges,
      PairingRelay,
      OperatorRequests,
      AccountPurger,
      AccountDrains,
      AccountPauses,
      repositoryFor(InstanceRegistry, store, { sqlite: SqliteInstanceRegistry, firestore: FirestoreInstanceRegistry }),
      repositoryFor(AccountPurges, store, { sqlite: SqliteAccountPurges, firestore: FirestoreAccountPurges }),
      repositoryFor(AccountRepository, store, { sqlite: SqliteAccountRepository, firestore: FirestoreAccountRepository }),
      repositoryFor(SessionRepository, store, { sqlite: SqliteSessionRepository, firestore: FirestoreSessionRepository }),
    ],
    exports: [AccountRepository, AccountConnections, AccountDrains, AccountPauses],
  }));
}
