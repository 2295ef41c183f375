import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { MEDIA_TYPES, MediaType } from '../media/media';
import { MEDIA_FAULTS, MediaFault } from '../whatsapp/simulator/simulated-media';
import { WA_MESSAGE_ID_PATTERN } from '../common/ids';
import { DISCONNECT_REASON_NAMES } from '../whatsapp/simulator/disconnect-reasons';
import { LIMIT_CODES, type LimitCode } from '../whatsapp/simulator/simulated-limits';

const WA_ID_RULE = 'must be 1-128 letters, digits, "_" or "-"';

export class InjectedMediaDto {
  @ApiProperty({ description: 'The file, base64 (within the type\'s limit and the request body limit)' })
  @IsBase64()
  base64: string;

  @ApiProperty({ example: 'image/jpeg' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  mimetype: string;

  @ApiPropertyOptional({ example: 'invoice.pdf' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;

  @ApiProperty({ enum: MEDIA_TYPES })
  @IsIn(MEDIA_TYPES, { message: `must be one of ${MEDIA_TYPES.join(', ')}` })
  type: MediaType;
}

export class InjectInboundDto {
  @ApiProperty({ example: '40712345678', description: 'The client who writes: digits with country code, or a JID' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  from: string;

  @ApiPropertyOptional({ example: 'Hi, is my order ready?', description: 'Required without media; with it, its caption' })
  @ValidateIf((body: InjectInboundDto) => body.media === undefined || body.text !== undefined)
  @IsString()
  @MaxLength(65_536)
  text?: string;

  @ApiPropertyOptional({ type: InjectedMediaDto, description: 'A file the client sends; its download gives these bytes' })
  @IsOptional()
  @ValidateNested()
  @Type(() => InjectedMediaDto)
  media?: InjectedMediaDto;

  @ApiPropertyOptional({ description: 'Repeat an id to simulate WhatsApp delivering the same message again' })
  @IsOptional()
  @Matches(WA_MESSAGE_ID_PATTERN, { message: WA_ID_RULE })
  waMessageId?: string;

  @ApiPropertyOptional({ description: "Written on the account's own phone instead of received" })
  @IsOptional()
  @IsBoolean()
  fromMe?: boolean;
}

export class InjectReceiptDto {
  @ApiProperty({ example: '3EB0C431D2A8B6F3E45A1C' })
  @Matches(WA_MESSAGE_ID_PATTERN, { message: WA_ID_RULE })
  waMessageId: string;

  @ApiProperty({ description: 'sent|delivered|read|played|error, or a Baileys status number 0..5', example: 'read' })
  @IsIn(['sent', 'delivered', 'read', 'played', 'error', 0, 1, 2, 3, 4, 5], { message: 'must be sent, delivered, read, played, error or a Baileys status number 0..5' })
  status: 'sent' | 'delivered' | 'read' | 'played' | 'error' | number;
}

export class MediaFaultDto {
  @ApiProperty({ enum: MEDIA_FAULTS, description: "What the account's next download answers: 404/410 make the file's URL gone until the phone re-uploads it" })
  @IsIn(MEDIA_FAULTS, { message: `must be one of ${MEDIA_FAULTS.join(', ')}` })
  status: MediaFault;
}

export class SimulateDisconnectDto {
  @ApiProperty({ enum: DISCONNECT_REASON_NAMES, example: 'connectionLost' })
  @IsIn(DISCONNECT_REASON_NAMES, { message: `must be a Baileys DisconnectReason name: ${DISCONNECT_REASON_NAMES.join(', ')}` })
  reason: string;
}

export class SimulateLimitDto {
  @ApiProperty({ enum: LIMIT_CODES, example: '429', description: '429: rate-overlimit; 463: the reach-out lock' })
  @IsIn(LIMIT_CODES, { message: `must be one of ${LIMIT_CODES.join(', ')}` })
  code: LimitCode;

  @ApiPropertyOptional({ example: 1, default: 1, description: "How many of the account's next sends through this process meet it; 0 lifts it" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000)
  sends?: number;

  @ApiPropertyOptional({ example: 60_000, description: '463 only: the lock ends this long after the send, as WhatsApp then reports it' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 86_400_000)
  lockForMs?: number;
}
