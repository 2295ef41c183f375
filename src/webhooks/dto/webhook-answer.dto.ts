import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WebhookEndpoint } from '../webhook-endpoint';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An endpoint as every route answers it: never its secrets. */
export class WebhookDto {
  @ApiProperty({ example: 'wh_3q2-7Xb0cLmN8pRs' }) webhookId: string;
  @ApiProperty() url: string;
  @ApiProperty({ type: [String], example: ['*'] }) events: string[];
  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null: every account' }) accountIds: string[] | null;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, enum: ['gone', 'noAccounts', 'byRequest'], description: 'gone: it answered 410' })
  disabledReason: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Until then the secret before the last rotation signs too' })
  previousSecretExpiresAt: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;

  static of(endpoint: WebhookEndpoint): WebhookDto {
    const { secrets, createdAt, updatedAt, ...fields } = endpoint;
    return Object.assign(new WebhookDto(), {
      ...fields,
      previousSecretExpiresAt: iso(secrets.previous?.expiresAt ?? null),
      createdAt: iso(createdAt),
      updatedAt: iso(updatedAt),
    });
  }
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Shown once: keep it to verify signatures' }) secret: string;

  static withSecret(endpoint: WebhookEndpoint): CreatedWebhookDto {
    return Object.assign(new CreatedWebhookDto(), WebhookDto.of(endpoint), { secret: endpoint.secrets.current });
  }
}

export class RotatedSecretDto {
  @ApiProperty() webhookId: string;
  @ApiProperty({ description: 'Shown once' }) secret: string;
  @ApiProperty({ description: 'The previous secret signs beside it until then' }) previousSecretExpiresAt: string;
}

export class TestOutcomeDto {
  @ApiProperty({ description: 'A 2xx answer' }) ok: boolean;
  @ApiPropertyOptional() status?: number;
  @ApiPropertyOptional({ example: 'no answer from https://hooks.example.com/in within 10000 ms' }) error?: string;
  @ApiProperty() ms: number;
}
