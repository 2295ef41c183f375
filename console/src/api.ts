/** An answer that was not 2xx, with the server's own message (it names the field or the state). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const API = '/api/whatsapp';

/** Every call sends the key as `x-api-key`; the page itself holds no data. */
export class Api {
  constructor(readonly key: string) {}

  async call<T>(method: string, path: string, body?: unknown, accept = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { 'x-api-key': this.key, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${API}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    const parsed = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiError(response.status, parsed?.message ?? `${response.status} ${response.statusText}`);
    return parsed as T;
  }

  get = <T>(path: string) => this.call<T>('GET', path);
  post = <T>(path: string, body: unknown = {}) => this.call<T>('POST', path, body);
  delete = (path: string) => this.call<void>('DELETE', path);
}

/** Every page of a keyset list, one after the other. */
export async function allPages<T>(api: Api, path: string, limit = 200): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  for (let cursor: string | null = null; ; ) {
    const page: { items: T[]; nextCursor: string | null } = await api.get(`${path}${join}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

/** Runs `work` over `inputs` with at most `width` at once (300 summaries must not open 300 requests together). */
export async function inParallel<I>(inputs: I[], width: number, work: (input: I) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < inputs.length) await work(inputs[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(width, inputs.length) }, lane));
}
