import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { PageQueryDto } from '../../common/page.dto';
import { FAILURE_REASONS } from '../failure-reason';
import { MessageRecord, ThreadRecord } from '../message';

export class ListThreadsQueryDto extends PageQueryDto {
  @ApiProperty({ example: 'account1' })
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId: string;
}

const iso = (ms: number | undefined | null) => (ms === undefined || ms === null ? undefined : new Date(ms).toISOString());

export class ThreadDto {
  @ApiProperty() threadId: string;
  @ApiProperty() accountId: string;
  @ApiProperty() clientJid: string;
  @ApiProperty() lastMessageAt: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastMessageText: string | null;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) lastMessageDirection: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(thread: ThreadRecord): ThreadDto {
    return Object.assign(new ThreadDto(), {
      ...thread,
      lastMessageAt: iso(thread.lastMessageAt),
      createdAt: iso(thread.createdAt),
      updatedAt: iso(thread.updatedAt),
    });
  }
}

export class MessageDto {
  @ApiProperty() messageId: string;
  @ApiProperty() threadId: string;
  @ApiProperty() accountId: string;
  @ApiProperty() clientJid: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction: string;
  @ApiPropertyOptional({ nullable: true, type: String }) text: string | null;
  @ApiProperty({ enum: ['queued', 'sent', 'failed', 'delivered', 'read', 'played'] }) status: string;
  @ApiProperty() waMessageId: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiPropertyOptional() sentAt?: string;
  @ApiPropertyOptional() failedAt?: string;
  @ApiPropertyOptional() deliveredAt?: string;
  @ApiPropertyOptional() readAt?: string;
  @ApiPropertyOptional() playedAt?: string;
  @ApiPropertyOptional() requestId?: string;
  @ApiPropertyOptional() seq?: number;
  @ApiPropertyOptional({ description: 'The last failure in words' }) error?: string;
  @ApiPropertyOptional({ enum: FAILURE_REASONS, description: 'Why it failed, when it did' }) failureReason?: string;
  @ApiPropertyOptional() participant?: string;
  @ApiPropertyOptional() mediaType?: string;
  @ApiPropertyOptional() statusUncertain?: boolean;

  static of(message: MessageRecord): MessageDto {
    return Object.assign(new MessageDto(), {
      ...message,
      createdAt: iso(message.createdAt),
      updatedAt: iso(message.updatedAt),
      sentAt: iso(message.sentAt),
      failedAt: iso(message.failedAt),
      deliveredAt: iso(message.deliveredAt),
      readAt: iso(message.readAt),
      playedAt: iso(message.playedAt),
    });
  }
}
