import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { PageQueryDto } from '../../common/page.dto';
import { MESSAGE_TYPES } from '../../media/media';
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

export class MessageMediaDto {
  @ApiProperty({ example: 'image/jpeg' }) mimetype: string;
  @ApiPropertyOptional({ nullable: true, type: String }) fileName: string | null;
  @ApiProperty({ description: 'Bytes' }) size: number;
  @ApiProperty({ description: 'Hex SHA-256 of the file' }) sha256: string;
  @ApiPropertyOptional({ nullable: true, type: String }) caption: string | null;
  @ApiProperty({ description: 'Whether the bytes are stored (inbound media is downloaded after its message is stored)' }) stored: boolean;
  @ApiPropertyOptional({ description: 'A signed link to the file that needs no key, valid MEDIA_LINK_TTL_S (403 once expired; 404 while not stored); minted for this answer, never stored' })
  url?: string;
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
  @ApiProperty({ enum: MESSAGE_TYPES, example: 'text', description: 'What the message is; `unsupported` for kinds stored without their content (polls among them)' }) type: string;
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
  @ApiPropertyOptional({ description: 'Written by the first stage; `type` says the same' }) mediaType?: string;
  @ApiPropertyOptional({ type: MessageMediaDto, description: 'Media messages: the file, and whether its bytes are stored yet' }) media?: MessageMediaDto;
  @ApiPropertyOptional({ description: 'Location ({kind, latitude, longitude, name, address}), contact ({kind, displayName, vcard}) or reaction ({kind, targetWaMessageId, emoji})' })
  content?: Record<string, unknown>;
  @ApiPropertyOptional() statusUncertain?: boolean;

  static of(message: MessageRecord): MessageDto {
    return Object.assign(new MessageDto(), messageAnswer(message));
  }
}
