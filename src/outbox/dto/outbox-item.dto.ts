import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { PageQueryDto } from '../../common/page.dto';
import { FAILURE_REASONS } from '../../messaging/failure-reason';
import { OUTBOX_STATUSES, OutboxItem, OutboxStatus } from '../outbox-item';

export class ListOutboxQueryDto extends PageQueryDto {
  @ApiProperty({ example: 'account1' })
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId: string;

  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, description: 'Only items of this status; all when absent' })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES, { message: `must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An outbox item as an operator sees it: what was sent to whom, where it stands, and why it failed. */
export class OutboxItemDto {
  @ApiProperty() requestId: string;
  @ApiProperty() accountId: string;
  @ApiProperty() threadId: string;
  @ApiProperty() messageId: string;
  @ApiProperty() waMessageId: string;
  @ApiProperty({ description: 'The recipient JID' }) to: string;
  @ApiProperty() text: string;
  @ApiProperty({ enum: OUTBOX_STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The last failure in words' }) lastError: string | null;
  @ApiPropertyOptional({ nullable: true, enum: FAILURE_REASONS }) failureReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(item: OutboxItem): OutboxItemDto {
    return Object.assign(new OutboxItemDto(), {
      requestId: item.requestId,
      accountId: item.accountId,
      threadId: item.threadId,
      messageId: item.messageId,
      waMessageId: item.waMessageId,
      to: item.toJid,
      text: item.text,
      status: item.status,
      attempts: item.attempts,
      lastError: item.lastError,
      failureReason: item.failureReason,
      createdAt: iso(item.createdAt)!,
      updatedAt: iso(item.updatedAt)!,
    });
  }
}
