/** One server-sent event as a client parses it. */
export interface ServerSentEvent {
  id?: string;
  event?: string;
  data?: string;
}

/**
 * Reads a `text/event-stream` response the way a browser's `fetch` reader would, handing each event to
 * `onEvent` (comments such as `: ping` are counted in `comments`); resolves when the stream ends or is aborted.
 */
export async function readEventStream(response: Response, onEvent: (event: ServerSentEvent) => void, seen = { comments: 0 }): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: ServerSentEvent = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) seen.comments++;
          const [field, ...rest] = line.split(': ');
          if (field === 'id' || field === 'event' || field === 'data') event[field] = rest.join(': ');
        }
        if (event.event || event.data) onEvent(event);
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  }
}
