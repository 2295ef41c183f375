import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { shownTime } from '../time';

interface EndpointView {
  webhookId: string;
  url: string;
  events: string[];
  accountIds: string[] | null;
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
}

interface AttemptView {
  eventId: string;
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  ms: number;
  result: string;
}

/** Deliveries are not on the event stream: an open endpoint's are read again this often. */
const DELIVERIES_POLL_MS = 3_000;
const RECENT = 10;

export function WebhooksPanel({ api }: { api: Api }) {
  const [endpoints, setEndpoints] = useState<EndpointView[] | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    api.get<{ items: EndpointView[] }>('/webhooks').then((page) => setEndpoints(page.items), () => setEndpoints([]));
  }, [api, version]);
  return (
    <section class="panel" aria-labelledby="webhooks-title">
      <div class="panel-head">
        <h2 id="webhooks-title">Webhook endpoints</h2>
        <button type="button" onClick={() => setVersion((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {endpoints?.length === 0 && <p class="muted">No endpoint.</p>}
      <ul class="endpoints">
        {endpoints?.map((endpoint) => <Endpoint key={endpoint.webhookId} api={api} endpoint={endpoint} />)}
      </ul>
    </section>
  );
}

function Endpoint({ api, endpoint }: { api: Api; endpoint: EndpointView }) {
  const [attempts, setAttempts] = useState<AttemptView[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [minutes, setMinutes] = useState('60');
  const path = `/webhooks/${encodeURIComponent(endpoint.webhookId)}`;

  useEffect(() => {
    const read = () => api.get<{ items: AttemptView[] }>(`${path}/deliveries?limit=${RECENT}`).then((page) => setAttempts(page.items), () => undefined);
    void read();
    const poll = setInterval(read, DELIVERIES_POLL_MS);
    return () => clearInterval(poll);
  }, [api, path]);

  const act = async (work: () => Promise<string>) => {
    setNote('…');
    try {
      setNote(await work());
    } catch (failure) {
      setNote(failure instanceof ApiError ? failure.message : 'No answer');
    }
  };
  const test = () =>
    act(async () => {
      const outcome = await api.post<{ ok: boolean; status?: number; error?: string; ms: number }>(`${path}/test`);
      return `Test ${outcome.ok ? 'delivered' : 'failed'}: ${outcome.status ?? outcome.error ?? ''} in ${outcome.ms} ms`;
    });
  const replay = () =>
    act(async () => {
      const since = new Date(Date.now() - Number(minutes) * 60_000).toISOString();
      const answer = await api.post<{ replayId: string; events: number }>(`${path}/replay`, { since });
      return `Replay ${answer.replayId}: ${answer.events} event(s) queued`;
    });

  const failing = attempts[0] && attempts[0].result !== 'delivered';
  return (
    <li class="endpoint" data-webhook-id={endpoint.webhookId}>
      <div>
        <strong>{endpoint.url}</strong> <span class={endpoint.enabled ? (failing ? 'warn' : 'good') : 'bad'}>{endpoint.enabled ? (failing ? 'failing' : 'enabled') : `disabled (${endpoint.disabledReason ?? 'unknown'})`}</span>
      </div>
      <div class="muted">
        {endpoint.webhookId} · events {endpoint.events.join(', ')} · accounts {endpoint.accountIds?.join(', ') ?? 'all'}
        {endpoint.description ? ` · ${endpoint.description}` : ''}
      </div>
      <div class="row">
        <button type="button" onClick={test}>
          Send test
        </button>
        <label>
          Replay the last{' '}
          <input class="narrow" type="number" min="1" value={minutes} onInput={(event) => setMinutes(event.currentTarget.value)} /> minutes
        </label>
        <button type="button" onClick={replay} disabled={!(Number(minutes) > 0)}>
          Replay
        </button>
        {note && <output>{note}</output>}
      </div>
      <table class="deliveries" aria-label={`Recent deliveries of ${endpoint.webhookId}`}>
        <tbody>
          {attempts.map((attempt) => (
            <tr key={`${attempt.eventId}-${attempt.attempt}-${attempt.at}`}>
              <td>{shownTime(attempt.at)}</td>
              <td>{attempt.eventId}</td>
              <td>#{attempt.attempt}</td>
              <td>{attempt.statusCode ?? attempt.error}</td>
              <td>{attempt.ms} ms</td>
              <td class={attempt.result === 'delivered' ? 'good' : 'bad'}>{attempt.result}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </li>
  );
}
