import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsOptional, IsString, MaxLength, Validate, ValidateIf, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { ACCOUNT_ID_RULE } from '../../common/ids';
import { EVENT_TYPES } from '../../events/event';
import { ALL_EVENTS } from '../webhook-endpoint';

const EVENT_RULE = `must be a list of event types (${EVENT_TYPES.join(', ')}), or ["${ALL_EVENTS}"] alone`;
const NO_EMPTY_ACCOUNTS = 'must name at least one account; leave it out (or null on PATCH) for every account';

@ValidatorConstraint({ name: 'eventSelection' })
class EventSelection implements ValidatorConstraintInterface {
  validate(events: unknown): boolean {
    if (!Array.isArray(events) || events.length === 0 || new Set(events).size !== events.length) return false;
    if (events.includes(ALL_EVENTS)) return events.length === 1;
    return events.every((type) => (EVENT_TYPES as readonly unknown[]).includes(type));
  }

  defaultMessage(): string {
    return EVENT_RULE;
  }
}

/** Validated when present; `null` is a value here (refused where the field must be a string or a list). */
const WhenGiven = () => ValidateIf((_object, value) => value !== undefined);

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/whatsapp', description: 'http(s); must resolve to a public address (OUTBOUND_ALLOW_HOSTS lets local ones through)' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiPropertyOptional({ example: ['message.received', 'message.delivered'], description: `${EVENT_RULE}; default ["*"]` })
  @WhenGiven()
  @Validate(EventSelection)
  events?: string[];

  @ApiPropertyOptional({ example: ['account1'], description: `Accounts whose events it receives (${ACCOUNT_ID_RULE}); default every account` })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: NO_EMPTY_ACCOUNTS })
  @ArrayMaxSize(1000)
  accountIds?: string[];

  @ApiPropertyOptional({ example: 'CRM inbound' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://hooks.example.com/whatsapp' })
  @WhenGiven()
  @IsString()
  @MaxLength(2048)
  url?: string;

  @ApiPropertyOptional({ example: ['*'], description: EVENT_RULE })
  @WhenGiven()
  @Validate(EventSelection)
  events?: string[];

  @ApiPropertyOptional({ example: ['account1'], nullable: true, type: [String], description: 'null: every account' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty({ message: NO_EMPTY_ACCOUNTS })
  @ArrayMaxSize(1000)
  accountIds?: string[] | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string | null;

  @ApiPropertyOptional({ description: 'true enables it again (after a 410, say); false stops its deliveries' })
  @WhenGiven()
  @IsBoolean()
  enabled?: boolean;
}
