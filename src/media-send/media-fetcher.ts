import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../common/errors';
import { AppConfig } from '../config/app-config';
import { OutboundClient, OutboundFailed, OutboundRefused } from '../outbound/outbound-client';
import { IncomingFile } from './media-file';

const FIELD = 'media.url';

/**
 * A send's `{url}`, fetched once at accept through the outbound client (the address rules, at most 3
 * redirects each re-checked, OUTBOUND_ALLOW_HOSTS) within MEDIA_FETCH_TIMEOUT_MS, and handed on as a
 * stream: its bytes go to the blob store as they arrive.
 */
@Injectable()
export class MediaFetcher {
  constructor(
    private readonly outbound: OutboundClient,
    private readonly config: AppConfig,
  ) {}

  /** `tooLarge`: the error for an answer that announces more than `limitBytes` (refused before a byte is read). */
  async open(url: string, limitBytes: number, tooLarge: () => Error): Promise<IncomingFile> {
    const opened = await this.outbound.open({ url, timeoutMs: this.config.mediaFetchTimeoutMs, maxRedirects: 3 }).catch((error: unknown) => {
      if (error instanceof OutboundRefused) throw new InvalidInput(FIELD, error.reason);
      if (error instanceof OutboundFailed) throw new InvalidInput(FIELD, `could not be fetched: ${error.message}`);
      throw error;
    });
    const { response } = opened;
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) {
      opened.abort();
      throw new InvalidInput(FIELD, `could not be fetched: ${opened.url} answered HTTP ${status}`);
    }
    if (Number(response.headers['content-length']) > limitBytes) {
      opened.abort();
      throw tooLarge();
    }
    return {
      stream: response,
      field: FIELD,
      declaredMimetype: response.headers['content-type'] ?? null,
      fileName: lastSegmentOf(opened.url),
      url,
      release: () => opened.done(),
    };
  }
}

function lastSegmentOf(url: string): string | null {
  const segment = decodeURIComponent(new URL(url).pathname.split('/').at(-1) ?? '');
  return segment && !/[/\\\0]/.test(segment) ? segment.slice(0, 255) : null;
}
