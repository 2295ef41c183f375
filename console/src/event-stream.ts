/** One event of `GET /api/whatsapp/events` as the stream sends it: its body is the webhook body. */
export interface StreamEvent {
  cursor: string | null;
  type: string;
  body: { type: string; timestamp: string; data: { id: string; accountId: string; occurredAt: string; account?: any; message?: any } } | null;
}

export interface StreamHandlers {
  onEvent(event: StreamEvent): void;
  onState(state: 'live' | 'reconnecting'): void;
  /** The key was deleted while the stream was open. */
  onRevoked(): void;
}

const RETRY_MS = 1_000;

/**
 * The live stream read with fetch(), never EventSource: EventSource cannot send a header, so the key
 * would have to travel in the URL or a cookie. Resumes after the last event seen (Last-Event-ID) on any
 * drop, so nothing is missed or repeated. Returns a function that stops it.
 */
export function followEvents(key: string, handlers: StreamHandlers): () => void {
  const stop = new AbortController();
  let lastId: string | null = null;
  const run = async () => {
    while (!stop.signal.aborted) {
      try {
        const headers: Record<string, string> = { 'x-api-key': key, accept: 'text/event-stream' };
        if (lastId) headers['last-event-id'] = lastId;
        const response = await fetch('/api/whatsapp/events', { headers, signal: stop.signal });
        if (response.status === 401) return handlers.onRevoked();
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        handlers.onState('live');
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = parseBlock(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (!event) continue;
            if (event.type === 'revoked') return handlers.onRevoked();
            if (event.cursor) lastId = event.cursor;
            handlers.onEvent(event);
          }
        }
      } catch (error) {
        if (stop.signal.aborted) return;
      }
      handlers.onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  };
  void run();
  return () => stop.abort();
}

/** One `id:`/`event:`/`data:` block; a `: ping` comment alone is none. */
function parseBlock(block: string): StreamEvent | undefined {
  let cursor: string | null = null;
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') cursor = value;
    else if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0 && cursor === null) return undefined;
  let body: StreamEvent['body'] = null;
  try {
    body = data.length ? JSON.parse(data.join('\n')) : null;
  } catch {
    body = null;
  }
  return { cursor, type, body };
}
