import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsOptional, Matches, isISO8601, Validate, ValidateIf, ValidatorConstraint, ValidatorConstraintInterface, ValidationArguments } from 'class-validator';
import { PageQueryDto } from '../../common/page.dto';
import { EVENT_ID_PATTERN } from '../../events/event';
import { AttemptResult, DeliveryAttempt } from '../webhook-delivery';

const RESULTS: AttemptResult[] = ['delivered', 'retrying', 'failed'];
export const MAX_REPLAY_IDS = 1000;

export class DeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RESULTS, description: 'Only attempts that decided this' })
  @IsOptional()
  @IsIn(RESULTS)
  status?: AttemptResult;
}

/** One attempt in an endpoint's deliveries log. */
export class DeliveryAttemptDto {
  @ApiProperty({ example: 'evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4' }) eventId: string;
  @ApiProperty({ description: '1 for the first attempt of this event (a replay counts from 1 again)' }) attempt: number;
  @ApiProperty({ example: '2026-12-02T10:00:00.000Z' }) at: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The HTTP status answered, or null when there was none (see error)' }) statusCode: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'timed out after 10000 ms' }) error: string | null;
  @ApiProperty({ description: 'Milliseconds from the connection to the end of the answer' }) ms: number;
  @ApiProperty({ enum: RESULTS }) result: AttemptResult;

  static of(attempt: DeliveryAttempt): DeliveryAttemptDto {
    return { eventId: attempt.eventId, attempt: attempt.attempt, at: new Date(attempt.at).toISOString(), statusCode: attempt.statusCode, error: attempt.error, ms: attempt.ms, result: attempt.result };
  }
}

const EITHER = 'give either since (and until, optionally) or eventIds';

/** `since`, or `eventIds` alone: one message for what is wrong, not every rule at once. */
@ValidatorConstraint({ name: 'replaySince' })
class ReplaySince implements ValidatorConstraintInterface {
  validate(since: unknown, args: ValidationArguments): boolean {
    const { eventIds } = args.object as ReplayDto;
    return eventIds === undefined && typeof since === 'string' && isISO8601(since, { strict: true });
  }

  defaultMessage(args: ValidationArguments): string {
    const { eventIds, since } = args.object as ReplayDto;
    if (eventIds !== undefined || since === undefined) return EITHER;
    return 'must be an ISO 8601 time, such as 2026-12-02T10:00:00.000Z';
  }
}

@ValidatorConstraint({ name: 'replayUntil' })
class ReplayUntil implements ValidatorConstraintInterface {
  validate(until: unknown, args: ValidationArguments): boolean {
    return (args.object as ReplayDto).eventIds === undefined && typeof until === 'string' && isISO8601(until, { strict: true });
  }

  defaultMessage(args: ValidationArguments): string {
    return (args.object as ReplayDto).eventIds !== undefined ? EITHER : 'must be an ISO 8601 time, such as 2026-12-02T11:00:00.000Z';
  }
}

export class ReplayDto {
  @ApiPropertyOptional({ example: '2026-12-02T10:00:00.000Z', description: 'Events that occurred at or after this time (within EVENT_RETENTION_DAYS)' })
  // Checked when absent too (unless eventIds is given alone): a body with neither is refused, naming since.
  @ValidateIf((body: ReplayDto) => body.eventIds === undefined || body.since !== undefined)
  @Validate(ReplaySince)
  since?: string;

  @ApiPropertyOptional({ example: '2026-12-02T11:00:00.000Z', description: 'And before this time; default now' })
  @IsOptional()
  @Validate(ReplayUntil)
  until?: string;

  @ApiPropertyOptional({ example: ['evt_01KBF4Z0X5Q6W2J8R3T7Y9M1N4'], description: `These events (at most ${MAX_REPLAY_IDS})` })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_REPLAY_IDS)
  @Matches(EVENT_ID_PATTERN, { each: true, message: 'each of eventIds must be an event id (evt_ and 26 characters)' })
  eventIds?: string[];
}

export class ReplayAnswerDto {
  @ApiProperty({ example: 'rpl_9f2c4e1a7b3d' }) replayId: string;
  @ApiProperty({ description: 'Events queued again for this endpoint (those its current filters match)' }) events: number;
}
