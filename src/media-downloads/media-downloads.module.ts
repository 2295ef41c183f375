import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { StoreModule, perStore, repositoryFor } from '../store/store.module';
import { WhatsAppModule } from '../whatsapp/whatsapp.module';
import { MediaDownloadWorker } from './media-download-worker.service';
import { MediaDownloads } from './media-downloads.repository';
import { FirestoreMediaDownloads } from './firestore/media-downloads.repository.firestore';
import { SqliteMediaDownloads } from './sqlite/media-downloads.repository.sqlite';

/**
 * Inbound files fetched into the blob store through the accounts' sockets: the work items' repository and
 * the worker. `BlobStore` comes from the composition root (media/'s adapters).
 */
@Module({})
export class MediaDownloadsModule {
  static readonly forStore = perStore((store) => ({
    module: MediaDownloadsModule,
    imports: [StoreModule, AccountsModule.forStore(store), WhatsAppModule],
    providers: [MediaDownloadWorker, repositoryFor(MediaDownloads, store, { sqlite: SqliteMediaDownloads, firestore: FirestoreMediaDownloads })],
    exports: [MediaDownloadWorker],
  }));
}
