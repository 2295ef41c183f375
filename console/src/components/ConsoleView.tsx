import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { visibleAccounts } from '../fleet';
import { useFleet } from '../use-fleet';
import { AccountActions } from './AccountRow';
import { CreateAccount } from './CreateAccount';
import { FailedSends } from './FailedSends';
import { FleetTable } from './FleetTable';
import { LinkingPanel } from './LinkingPanel';
import { Threads } from './Threads';
import { WebhooksPanel } from './WebhooksPanel';

export function ConsoleView({ api, onSignOut }: { api: Api; onSignOut: () => void }) {
  const { fleet, loaded, stream, loadError, events } = useFleet(api, onSignOut);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const request = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
      setNotice(what);
    } catch (failure) {
      setNotice(failure instanceof ApiError ? failure.message : `${what}: no answer`);
    }
  };
  const path = (accountId: string) => `/accounts/${encodeURIComponent(accountId)}`;
  const actions: AccountActions = {
    select: (accountId) => setSelected((current) => (current === accountId ? null : accountId)),
    reconnect: (accountId) => request(`Reconnect of ${accountId} requested`, () => api.post(`${path(accountId)}/reconnect`)),
    reset: (accountId) => request(`Reset of ${accountId} requested`, () => api.post(`${path(accountId)}/reset-session`)),
    remove: (accountId) => request(`${accountId} deleted`, () => api.delete(path(accountId))),
  };
  const waiting = visibleAccounts(fleet, 'qr', '');
  const open = selected && fleet.has(selected) ? selected : null;

  return (
    <div class="console">
      <header>
        <h1>WhatsApp accounts</h1>
        <span class={`stream stream-${stream}`} role="status">
          {stream === 'live' ? 'Live' : stream === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
        </span>
        <CreateAccount api={api} />
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {loadError && <p role="alert">The accounts could not be read: {loadError}</p>}
      {!loaded && !loadError && <p class="muted">Loading accounts…</p>}
      <LinkingPanel api={api} waiting={waiting} />
      <FleetTable fleet={fleet} selected={open} actions={actions} />
      {open && (
        <section class="panel" aria-labelledby="detail-title">
          <div class="panel-head">
            <h2 id="detail-title">{open}</h2>
          </div>
          {/* Keyed by account: another account's open thread or retry notes must not carry over. */}
          <div class="detail" key={open}>
            <Threads api={api} accountId={open} events={events} />
            <FailedSends api={api} accountId={open} events={events} />
          </div>
        </section>
      )}
      <WebhooksPanel api={api} />
    </div>
  );
}
