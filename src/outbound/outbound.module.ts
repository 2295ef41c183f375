import { Module } from '@nestjs/common';
import { AllowHosts } from './allow-hosts';
import { OutboundClient, Resolver } from './outbound-client';

/** Where outbound requests look names up: the system resolver, or a test's that makes a name resolve anywhere. */
export const OUTBOUND_RESOLVER = Symbol('OutboundResolver');

/**
 * The one client for requests to addresses apps give us (webhook endpoints, media URLs). From the
 * composition root: `AllowHosts` (OUTBOUND_ALLOW_HOSTS) and `OUTBOUND_RESOLVER`.
 */
@Module({
  providers: [
    {
      provide: OutboundClient,
      inject: [AllowHosts, OUTBOUND_RESOLVER],
      useFactory: (allowHosts: AllowHosts, resolver: Resolver) => new OutboundClient(allowHosts, resolver),
    },
  ],
  exports: [OutboundClient],
})
export class OutboundModule {}
