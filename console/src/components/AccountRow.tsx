import { AccountView } from '../fleet';
import { shownTime } from '../time';
import { ConfirmButton } from './ConfirmButton';

export interface AccountActions {
  select(accountId: string): void;
  reconnect(accountId: string): void;
  reset(accountId: string): void;
  remove(accountId: string): void;
}

/** One account on one row; everything in it is text (names and phones come from WhatsApp and from users). */
export function AccountRow({ account, selected, actions }: { account: AccountView; selected: boolean; actions: AccountActions }) {
  const counts = account.outbox;
  return (
    <tr data-account-id={account.accountId} data-status={account.status} class={selected ? 'selected' : undefined}>
      <td>
        <button type="button" class="link" onClick={() => actions.select(account.accountId)} aria-pressed={selected}>
          {account.accountId}
        </button>
        {account.name && <div class="muted">{account.name}</div>}
      </td>
      <td>
        <span class={`status status-${account.status}`}>{account.status}</span>
        {account.pausedUntil && (
          <div class="warn">
            paused until {shownTime(account.pausedUntil)}
            {account.pauseReason ? `: ${account.pauseReason}` : ''}
          </div>
        )}
        {account.status !== 'connected' && account.lastDisconnectReason && <div class="muted">{account.lastDisconnectReason}</div>}
      </td>
      <td>{account.phone ?? '–'}</td>
      <td>{account.ownerWorkerId ?? '–'}</td>
      <td>{shownTime(account.lastInboundAt)}</td>
      <td>{shownTime(account.lastOutboundAt)}</td>
      <td class="counts" title="queued / processing / failed">
        {counts ? (
          <>
            <span>{counts.queued}</span> / <span>{counts.processing}</span> / <span class={counts.failed ? 'bad' : undefined}>{counts.failed}</span>
          </>
        ) : (
          '…'
        )}
      </td>
      <td class="actions">
        <button type="button" onClick={() => actions.reconnect(account.accountId)}>
          Reconnect
        </button>
        <ConfirmButton label="Reset" question={`Log ${account.accountId} out and back to QR?`} onConfirm={() => actions.reset(account.accountId)} />
        <ConfirmButton label="Delete" danger question={`Delete ${account.accountId} and its data?`} onConfirm={() => actions.remove(account.accountId)} />
      </td>
    </tr>
  );
}
