import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { PageQueryDto } from '../../common/page.dto';
import { EVENT_TYPES, EventType } from '../event';

/** `limit` as every list takes it; `after` instead of `cursor`, as an SSE resume point is one. */
export class EventsQueryDto extends PickType(PageQueryDto, ['limit'] as const) {
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
}
