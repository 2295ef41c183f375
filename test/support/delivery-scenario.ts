import { eventually } from './eventually';

export interface Endpoint {
  url: string;
}

export interface ScenarioOptions {
  key: string;
  endpoints: Endpoint[];
  accounts: number;
  messages: number;
  recipientsPerAccount: number;
  concurrency?: number;
}

export const accountIdOf = (i: number) => `acc${String(i).padStart(2, '0')}`;

/**
 * The processes' environment in the three-process delivery scenarios (on sqlite and on Firestore), the
 * store's variables on top: the simulator fails 10 % of sends, and leases are short, so a killed worker's
 * claims and accounts move within seconds.
 */
export function deliveryEnv(key: string, simulatorLogPath: string, store: Record<string, string>): Record<string, string> {
  return {
    ...store,
    API_KEYS: key,
    WA_PROVIDER: 'simulator',
    WA_SIMULATOR_LOG: simulatorLogPath,
    WA_SIMULATOR_SEND_MS: '20',
    WA_SIMULATOR_FAILURE_RATE: '0.1',
    SEND_MIN_INTERVAL_MS: '0',
    OUTBOX_POLL_MS: '200',
    OUTBOX_LEASE_MS: '3000',
    OUTBOX_MAX_ATTEMPTS: '30',
    ACCOUNT_LEASE_MS: '3000',
  };
}

async function api(endpoint: Endpoint, key: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${endpoint.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** As a client would: on a connection error (a killed process), the same request (same key) to the next endpoint. */
async function postAnywhere(options: ScenarioOptions, start: number, path: string, body: unknown): Promise<{ status: number; body: any }> {
  for (let k = 0; k < options.endpoints.length; k++) {
    try {
      return await api(options.endpoints[(start + k) % options.endpoints.length], options.key, path, body);
    } catch (error) {
      if (k === options.endpoints.length - 1) throw error;
    }
  }
  throw new Error('no endpoint');
}

/** Creates the accounts (spread over the endpoints) and waits until every one is connected. */
export async function linkAccounts(options: ScenarioOptions): Promise<void> {
  for (let i = 0; i < options.accounts; i++) {
    await api(options.endpoints[i % options.endpoints.length], options.key, '/api/whatsapp/accounts', { accountId: accountIdOf(i) });
  }
  const list = await eventually(
    () => api(options.endpoints[0], options.key, '/api/whatsapp/accounts?limit=200'),
    (r) => r.body.items.length === options.accounts && r.body.items.every((a: { status: string }) => a.status === 'connected'),
    30_000,
  );
  if (!list.body.items.every((a: { status: string }) => a.status === 'connected')) throw new Error('accounts did not all connect');
}

/**
 * Sends `messages` requests spread over endpoints, accounts and recipients, each with its own key and a
 * unique text (the audit matches sends by text); every tenth is retried with the same key and must get
 * the same answer. Resolves with the number accepted.
 */
export async function sendMessages(options: ScenarioOptions): Promise<number> {
  let next = 0;
  let accepted = 0;
  const worker = async () => {
    while (next < options.messages) {
      const i = next++;
      const accountId = accountIdOf(i % options.accounts);
      const recipient = `4071${String(Math.floor(i / options.accounts) % options.recipientsPerAccount).padStart(7, '0')}`;
      const body = { accountId, to: recipient, message: `msg-${i}`, requestId: `req-${i}` };
      const first = await postAnywhere(options, i, '/api/whatsapp/send-message', body);
      if (first.status !== 202) throw new Error(`send ${i}: ${first.status} ${JSON.stringify(first.body)}`);
      accepted++;
      if (i % 10 === 0) {
        const retry = await postAnywhere(options, i + 1, '/api/whatsapp/send-message', body);
        if (retry.status !== 202 || JSON.stringify(retry.body) !== JSON.stringify(first.body)) throw new Error(`retry ${i} answered differently`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  return accepted;
}

/**
 * A client that retries an answer of 5xx with the same request (same idempotency key), as the contract's
 * keys invite: a machine SIGKILLed inside a transaction leaves its locks on Firestore until the
 * transaction expires (about 60 s on the emulator), and an accept that needs one of those documents
 * meanwhile answers 500 (ABORTED: Transaction lock timeout). Installed around the scenario's `fetch`.
 */
export function retryingServerErrors(fetchOnce: typeof fetch, retried: string[]): typeof fetch {
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetchOnce(input, init);
      if (response.status < 500 || init?.method !== 'POST' || attempt === 10) return response;
      retried.push(`${String(input)}: ${response.status} ${await response.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
}
