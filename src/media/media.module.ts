import { Module } from '@nestjs/common';
import { AppConfig, StoreKind } from '../config/app-config';
import { FirestoreStore } from '../store/firestore/firestore-store';
import { StoreModule, perStore } from '../store/store.module';
import { BlobStore } from './blob-store';
import { GcsBlobStore } from './gcs/gcs-blob-store';
import { LocalBlobStore } from './local/local-blob-store';
import { UploadSweep } from './upload-sweep.service';

/**
 * Media storage: the private blob store, by STORE. sqlite keeps blobs as files under MEDIA_PATH (beside
 * the database file unless set); Firestore keeps them in the Cloud Storage bucket MEDIA_BUCKET, on the
 * Firebase app the Firestore store opened. Uploads abandoned for over an hour are swept. Exports the BlobStore port.
 */
@Module({})
export class MediaModule {
  static readonly forStore = perStore((store: StoreKind) => ({
    module: MediaModule,
    imports: [StoreModule],
    providers: [
      store === 'firestore'
        ? { provide: BlobStore, inject: [AppConfig, FirestoreStore], useFactory: (config: AppConfig, firestore: FirestoreStore) => GcsBlobStore.on(firestore.app, config.mediaBucket!) }
        : { provide: BlobStore, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalBlobStore(config.mediaPath) },
      UploadSweep,
    ],
    exports: [BlobStore],
  }));
}
