import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ACCOUNT_STATUSES } from '../../accounts/account';
import { AccountSummary } from '../account-summary';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export class OutboxCountsDto {
  @ApiProperty() queued: number;
  @ApiProperty() processing: number;
  @ApiProperty() failed: number;
}

export class AccountSummaryDto {
  @ApiProperty() accountId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: ACCOUNT_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'WORKER_ID of the instance holding the socket' }) ownerWorkerId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastDisconnectReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastDisconnectAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) connectedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Sends paused for WhatsApp's limits until then" }) pausedUntil: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['rate_overlimit', 'reach_out_locked'] }) pauseReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Newest message a client sent the account' }) lastInboundAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Newest message the account sent' }) lastOutboundAt: string | null;
  @ApiProperty({ type: OutboxCountsDto, description: 'Items kept in the outbox (ended ones for 7 days at least)' }) outbox: OutboxCountsDto;
  @ApiProperty({ description: 'When this instance read it: a summary is kept 10 s' }) readAt: string;

  static of(summary: AccountSummary): AccountSummaryDto {
    const { account, lastMessages, outbox } = summary;
    return Object.assign(new AccountSummaryDto(), {
      accountId: account.accountId,
      name: account.name,
      status: account.status,
      phone: account.phone,
      ownerWorkerId: account.owner ? account.owner.split('/')[0] : null,
      lastDisconnectReason: account.lastDisconnectReason,
      lastDisconnectAt: iso(account.lastDisconnectAt),
      connectedAt: iso(account.connectedAt),
      pausedUntil: iso(account.pausedUntil),
      pauseReason: account.pauseReason,
      lastInboundAt: iso(lastMessages.inbound),
      lastOutboundAt: iso(lastMessages.outbound),
      outbox: { ...outbox },
      readAt: iso(summary.readAt)!,
    });
  }
}
