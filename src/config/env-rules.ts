import { ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { AllowHosts } from '../outbound/allow-hosts';

/** The variables whose values an error message must not repeat. */
export const SECRET_VARIABLES = new Set(['API_KEYS', 'WEBHOOK_SECRET', 'METRICS_TOKEN', 'MEDIA_LINK_SECRET']);

/** `OUTBOUND_ALLOW_HOSTS`, read by the same parser the outbound client is given, so what starts is what runs. */
@ValidatorConstraint({ name: 'allowHosts' })
export class AllowHostsList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return refusalOf(value) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `must be a comma-separated list of host or host:port; ${refusalOf(args.value)}`;
  }
}

function refusalOf(list: unknown): string | null {
  try {
    AllowHosts.parse(String(list));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

@ValidatorConstraint({ name: 'httpUrl' })
export class HttpUrl implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    try {
      const url = new URL(String(value));
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'must be an http: or https: URL without credentials';
  }
}

/** Bytes of key a Standard Webhooks secret must carry at least (the API makes 32). */
const MIN_SECRET_BYTES = 24;

/** `whsec_` + base64 of the key bytes, as Standard Webhooks receivers take it. */
@ValidatorConstraint({ name: 'webhookSecret' })
export class WebhookSecret implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const match = String(value).match(/^whsec_([A-Za-z0-9+/]+={0,2})$/);
    if (!match) return false;
    const key = Buffer.from(match[1], 'base64');
    // Node decodes loosely; re-encoding proves the text was base64 as receivers decode it.
    return key.toString('base64') === match[1] && key.length >= MIN_SECRET_BYTES;
  }

  defaultMessage(): string {
    return `must be "whsec_" followed by the base64 of at least ${MIN_SECRET_BYTES} random bytes`;
  }
}
