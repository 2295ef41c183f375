import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { MessagingModule } from '../messaging/messaging.module';
import { MetricsModule } from '../metrics/metrics.module';
import { OutboundModule } from '../outbound/outbound.module';
import { StoreKind } from '../config/app-config';
import { perStore } from '../store/store.module';
import { MediaFetcher } from './media-fetcher';
import { SendMediaController } from './send-media.controller';
import { SendMediaService } from './send-media.service';

/**
 * Sending media: the send-media route takes a file (multipart, base64 or a URL it fetches), stores it in
 * the blob store and accepts the send through messaging's SendAcceptance, as a text send is. From the
 * composition root: SendAcceptance.
 */
@Module({})
export class MediaSendModule {
  static readonly forStore = perStore((store: StoreKind) => ({
    module: MediaSendModule,
    imports: [MessagingModule.forStore(store), MediaModule.forStore(store), MetricsModule, OutboundModule],
    controllers: [SendMediaController],
    providers: [SendMediaService, MediaFetcher],
  }));
}
