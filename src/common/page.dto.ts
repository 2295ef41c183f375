import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CursorShape, DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, PageRequest, decodeCursor } from './page';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export function pageRequestOf(query: PageQueryDto, cursor: CursorShape): PageRequest {
  return { limit: query.limit ?? DEFAULT_PAGE_LIMIT, after: decodeCursor(query.cursor, cursor) };
}
