import { ApiProperty } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { ACCOUNT_ID_RULE } from '../../common/ids';
import { AccountKey, SCOPES, Scope } from '../account-key';

/** Checked by newAccountKey (account-key.ts), which names the field it refuses; `@Allow` lets the fields past the whitelist. */
export class CreateAccountKeyDto {
  @ApiProperty({ example: 'shop bot', description: '1-100 characters' })
  @Allow()
  name: unknown;

  @ApiProperty({ example: ['account1'], description: `The accounts it reaches, not empty (${ACCOUNT_ID_RULE})` })
  @Allow()
  accountIds: unknown;

  @ApiProperty({ example: ['send'], enum: SCOPES, isArray: true, description: 'What it may do on them, not empty' })
  @Allow()
  scopes: unknown;
}

/** A key as listed: never its key material (neither the key nor its hash). */
export class AccountKeyDto {
  @ApiProperty({ example: 'key_3q2-7wQ1mZ8xYb0c' }) keyId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) accountIds: string[];
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes: Scope[];
  @ApiProperty({ description: 'ISO 8601' }) createdAt: string;

  static of(key: AccountKey): AccountKeyDto {
    return { keyId: key.keyId, name: key.name, accountIds: key.accountIds, scopes: key.scopes, createdAt: new Date(key.createdAt).toISOString() };
  }
}

/** The creation's answer: the only time the key is shown. */
export class CreatedAccountKeyDto extends AccountKeyDto {
  @ApiProperty({ example: 'wak_key_3q2-7wQ1mZ8xYb0c_…', description: 'Shown once; store it now (only its SHA-256 is kept)' }) key: string;
}
