import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE, REQUEST_ID_PATTERN, REQUEST_ID_RULE } from '../../common/ids';
import { MEDIA_TYPES, MediaType } from '../../media/media';

/** WhatsApp cuts captions past this many characters. */
export const MAX_CAPTION_LENGTH = 1024;
/** `{base64}` is held whole while decoded, so it is kept small; larger files go as multipart or `{url}`. */
export const MAX_BASE64_BYTES = 5 * 1024 * 1024;

/** The fields of a media send, in either form (multipart fields before the file, or the JSON body). */
export class SendMediaFieldsDto {
  @ApiProperty({ example: 'account1', description: ACCOUNT_ID_RULE })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId: string;

  @ApiProperty({ example: '+40 712 345 678', description: 'Digits with country code, or a full user, LID or group JID' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  to: string;

  @ApiProperty({ enum: MEDIA_TYPES, description: 'voice: Opus in Ogg, sent as a voice note; sticker: WebP' })
  @IsIn(MEDIA_TYPES, { message: `must be one of ${MEDIA_TYPES.join(', ')}` })
  type: MediaType;

  @ApiPropertyOptional({ maxLength: MAX_CAPTION_LENGTH, description: 'image, video and document only' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CAPTION_LENGTH)
  caption?: string;

  @ApiPropertyOptional({ example: 'invoice.pdf', description: "A document's name; default the file part's name or the URL's last segment" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[^/\\\0]+$/, { message: 'must be a file name, without / or \\' })
  fileName?: string;

  @ApiPropertyOptional({ description: `Idempotency key, per account (or the Idempotency-Key header): ${REQUEST_ID_RULE}` })
  @IsOptional()
  @IsString()
  @Matches(REQUEST_ID_PATTERN, { message: `must be ${REQUEST_ID_RULE}` })
  requestId?: string;
}

/** Where a JSON send's bytes are: `{url}` (fetched at accept) or `{base64, mimetype}`. */
export class MediaSourceDto {
  @ApiPropertyOptional({ example: 'https://example.com/invoice.pdf', description: 'Fetched once, at accept, under the outbound address rules' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ description: 'The file, base64; up to 5 MiB decoded' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'must be base64' })
  base64?: string;

  @ApiPropertyOptional({ example: 'application/pdf', description: 'With base64: what the bytes are' })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, { message: 'must be a MIME type such as application/pdf' })
  mimetype?: string;
}

export class SendMediaJsonDto extends SendMediaFieldsDto {
  @ApiProperty({ type: MediaSourceDto })
  @ValidateNested()
  @Type(() => MediaSourceDto)
  media: MediaSourceDto;
}
