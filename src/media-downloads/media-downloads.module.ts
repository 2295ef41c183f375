import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MediaModule } from '../media/media.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { MediaDownloadWorker } from './media-download-worker.service';
import { MediaDownloads } from './media-downloads.repository';
import { FirestoreMediaDownloads } from './firestore/media-downloads.repository.firestore';
import { SqliteMediaDownloads } from './sqlite/media-downloads.repository.sqlite';

/**
 * Inbound files fetched into the blob store through the accounts' sockets: the work items' repository and
 * the worker, storing into the MediaModule's blob store.
 */
@Module({})
export class MediaDownloadsModule {
  static readonly forStore = perStore((store) => ({
    module: MediaDownloadsModule,
    imports: [StoreModule, AccountsModule.forStore(store), WhatsAppModule, MediaModule.forStore(store)],
    providers: [MediaDownloadWorker, repositoryFor(MediaDownloads, store, { sqlite: SqliteMediaDownloads, firestore: FirestoreMediaDownloads })],
    exports: [MediaDownloadWorker],
  }));
}
