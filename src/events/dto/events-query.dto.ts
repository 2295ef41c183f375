import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../common/page';
import { EVENT_TYPES, EventType } from '../event';

export class EventsQueryDto {
  @ApiPropertyOptional({ example: 'account1', description: "Only this account's events" })
  @IsOptional()
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId?: string;

  @ApiPropertyOptional({ example: 'message.received,message.read', description: `Comma-separated, of: ${EVENT_TYPES.join(', ')}` })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((type) => type.trim()).filter(Boolean) : value))
  @IsIn(EVENT_TYPES, { each: true, message: `each must be one of ${EVENT_TYPES.join(', ')}` })
  types?: EventType[];

  @ApiPropertyOptional({ description: 'Resume after this cursor (an SSE `id:` or a JSON `nextCursor`); SSE also reads Last-Event-ID' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT, description: 'JSON only' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}
