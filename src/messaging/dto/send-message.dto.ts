import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE, REQUEST_ID_PATTERN, REQUEST_ID_RULE } from '../../common/ids';

/** WhatsApp refuses text messages longer than this many characters. */
export const MAX_TEXT_LENGTH = 65_536;

export class SendMessageDto {
  @ApiProperty({ example: 'account1', description: ACCOUNT_ID_RULE })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId: string;

  @ApiProperty({ example: '+40 712 345 678', description: 'Digits with country code, or a full user, LID or group JID' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  to: string;

  @ApiProperty({ example: 'Hello from the API', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH)
  message: string;

  @ApiPropertyOptional({ description: `Idempotency key, per account (or the Idempotency-Key header): ${REQUEST_ID_RULE}` })
  @IsOptional()
  @IsString()
  @Matches(REQUEST_ID_PATTERN, { message: `must be ${REQUEST_ID_RULE}` })
  requestId?: string;
}

export class SendAnswerDto {
  @ApiProperty() requestId: string;
  @ApiProperty() messageId: string;
  @ApiProperty({ example: 'account1__40712345678@s.whatsapp.net' }) threadId: string;
  @ApiProperty({ example: '3EB0C431D2A8B6F3E45A1C' }) waMessageId: string;
  @ApiProperty({ enum: ['queued'] }) status: 'queued';
}
