import { Global, Module } from '@nestjs/common';
import { ProviderEventSpool } from './provider-event-spool';

/**
 * The local spool of provider events the store refused (inbound messages, receipts, contact aliases).
 * Global, like the store, and imported right after it in AppModule: shutdown hooks of global modules run
 * in reverse import order, so the spool closes after the account sockets (nothing more arrives) and
 * before the store (the events being stored and the last replay still reach it).
 */
@Global()
@Module({ providers: [ProviderEventSpool], exports: [ProviderEventSpool] })
export class SpoolModule {}
