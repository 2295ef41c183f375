import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_ID_PATTERN, ACCOUNT_ID_RULE } from '../../common/ids';
import { ACCOUNT_STATUSES, AccountRecord } from '../account';
import { accountAnswer } from '../account-answer';

export class CreateAccountDto {
  @ApiProperty({ example: 'account1', description: ACCOUNT_ID_RULE })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: `must be ${ACCOUNT_ID_RULE}` })
  accountId: string;

  @ApiPropertyOptional({ example: 'Front desk' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

export class AccountDto {
  @ApiProperty() accountId: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: ACCOUNT_STATUSES }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'WORKER_ID of the instance holding the socket' }) ownerWorkerId: string | null;
  @ApiProperty() ownerEpoch: number;
  @ApiPropertyOptional({ nullable: true, type: String }) leaseUntil: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastDisconnectReason: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lastDisconnectAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) connectedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: "Set while WhatsApp's limits pause the account's sends: they resume by themselves then" })
  pausedUntil: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['rate_overlimit', 'reach_out_locked'] }) pauseReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(account: AccountRecord): AccountDto {
    return Object.assign(new AccountDto(), accountAnswer(account));
  }
}
