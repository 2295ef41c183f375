import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { PageQueryDto } from '../../common/page.dto';
import { FAILURE_REASONS } from '../failure-reason';
import { MessageRecord, ThreadRecord } from '../message';
import { messageAnswer } from '../message-answer';

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
  @ApiProperty({ description: 'The status as a number that only grows: queued 0, sent 1, failed 2, delivered 3, read 4, played 5' }) statusRank: number;
  @ApiProperty({ example: 'text', description: 'text, image, video, document, contact, or unsupported (polls, kinds not stored yet)' }) type: string;
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
    return Object.assign(new MessageDto(), messageAnswer(message));
  }
}
