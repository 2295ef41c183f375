import { useState } from 'preact/hooks';
import { Fleet, visibleAccounts } from '../fleet';
import { AccountActions, AccountRow } from './AccountRow';

const FILTERS = ['all', 'connected', 'qr', 'connecting', 'disconnected', 'logged_out', 'failing'];

export function FleetTable({ fleet, selected, actions }: { fleet: Fleet; selected: string | null; actions: AccountActions }) {
  const [status, setStatus] = useState('all');
  const [search, setSearch] = useState('');
  const shown = visibleAccounts(fleet, status, search);
  return (
    <section class="panel" aria-labelledby="fleet-title">
      <div class="panel-head">
        <h2 id="fleet-title">Accounts</h2>
        <span class="muted">
          {shown.length} of {fleet.size}
        </span>
        <label>
          Status{' '}
          <select value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
            {FILTERS.map((filter) => (
              <option value={filter}>{filter === 'failing' ? 'with failed sends' : filter}</option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" value={search} placeholder="id, name or phone" onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
      </div>
      <div class="scroll">
        <table class="fleet">
          <thead>
            <tr>
              <th>Account</th>
              <th>Status</th>
              <th>Phone</th>
              <th>Holder</th>
              <th>Last in</th>
              <th>Last out</th>
              <th>Queued / processing / failed</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((account) => (
              <AccountRow key={account.accountId} account={account} selected={account.accountId === selected} actions={actions} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
