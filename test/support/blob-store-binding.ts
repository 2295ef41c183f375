import { DynamicModule, Module } from '@nestjs/common';
import { BlobStore } from '../../src/media/blob-store';
import { MemoryBlobStore } from './memory-blob-store';

@Module({})
class MemoryBlobStoreBinding {}

/**
 * `BlobStore` for apps under test while no module of src/ binds it by STORE (the MediaModule, to come):
 * global, as the composition root's bindings are, so media-downloads/ finds it.
 */
export function memoryBlobStoreModule(store: BlobStore = new MemoryBlobStore()): DynamicModule {
  return { module: MemoryBlobStoreBinding, global: true, providers: [{ provide: BlobStore, useValue: store }], exports: [BlobStore] };
}
