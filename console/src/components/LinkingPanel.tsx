import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { AccountView } from '../fleet';
import { QrCode } from './QrCode';

/** Every account waiting for a login, its QR side by side, so a whole fleet is linked from one screen. */
export function LinkingPanel({ api, waiting }: { api: Api; waiting: AccountView[] }) {
  return (
    <section class="panel" aria-labelledby="linking-title">
      <div class="panel-head">
        <h2 id="linking-title">Waiting to be linked</h2>
        <span class="muted">{waiting.length}</span>
      </div>
      {waiting.length === 0 ? (
        <p class="muted">No account is waiting for a QR scan.</p>
      ) : (
        <ul class="qr-grid">
          {waiting.map((account) => (
            <li key={account.accountId} class="qr-card" data-qr-account-id={account.accountId}>
              <strong>{account.accountId}</strong>
              {account.name && <span class="muted"> {account.name}</span>}
              <QrCode api={api} accountId={account.accountId} version={account.qrVersion} />
              {/* Folded: the QR is the usual way, and thirty open forms would push the QRs off the screen. */}
              <details>
                <summary>Link with a pairing code instead</summary>
                <PairingCode api={api} accountId={account.accountId} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Linking by phone number instead: WhatsApp answers a code to type on the phone. */
function PairingCode({ api, accountId }: { api: Api; accountId: string }) {
  const [phone, setPhone] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);
  const id = `pair-${accountId}`;
  return (
    <form
      class="pairing"
      onSubmit={async (event) => {
        event.preventDefault();
        setAnswer('…');
        try {
          const { code } = await api.post<{ code: string }>(`/accounts/${encodeURIComponent(accountId)}/pairing-code`, { phoneNumber: phone.trim() });
          setAnswer(`Pairing code: ${code}`);
        } catch (failure) {
          setAnswer(failure instanceof ApiError ? failure.message : 'No answer');
        }
      }}
    >
      <label for={id}>Phone for a pairing code</label>
      <input id={id} inputMode="tel" placeholder="40712345678" value={phone} onInput={(event) => setPhone(event.currentTarget.value)} />
      <button type="submit" disabled={!phone.trim()}>
        Get code
      </button>
      {answer && <output>{answer}</output>}
    </form>
  );
}
