import { Module } from '@nestjs/common';
import { StoreKind } from '../config/app-config';
import { MediaModule } from '../media/media.module';
import { MessagingModule } from '../messaging/messaging.module';
import { perStore } from '../store/store.module';
import { MediaLinkSigner } from './media-link-signer';
import { MediaController } from './media.controller';
import { MediaServing } from './media-serving.service';

/**
 * Serving media: a message's stored file through the keyed route or a signed link (one Range each), and
 * the signer that mints those links, exported for the composition root to bind to messaging's MediaLinks.
 */
@Module({})
export class MediaServeModule {
  static readonly forStore = perStore((store: StoreKind) => ({
    module: MediaServeModule,
    imports: [MessagingModule.forStore(store), MediaModule.forStore(store)],
    controllers: [MediaController],
    providers: [MediaServing, MediaLinkSigner],
    exports: [MediaLinkSigner],
  }));
}
