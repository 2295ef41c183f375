import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api';

export function CreateAccount({ api }: { api: Api }) {
  const [accountId, setAccountId] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  return (
    <form
      class="create"
      onSubmit={async (event) => {
        event.preventDefault();
        const wanted = { accountId: accountId.trim(), ...(name.trim() ? { name: name.trim() } : {}) };
        // Cleared at once, not after the answer: the stream may show the account first, and the next one is typed meanwhile.
        setAccountId('');
        setName('');
        try {
          await api.post('/accounts', wanted);
          setMessage(`Created ${wanted.accountId}`);
        } catch (failure) {
          setAccountId(wanted.accountId);
          setName(wanted.name ?? '');
          setMessage(failure instanceof ApiError ? failure.message : 'No answer');
        }
      }}
    >
      <label for="new-account-id">New account id</label>
      <input id="new-account-id" value={accountId} onInput={(event) => setAccountId(event.currentTarget.value)} placeholder="account1" />
      <label for="new-account-name">Name</label>
      <input id="new-account-name" value={name} onInput={(event) => setName(event.currentTarget.value)} placeholder="Front desk" />
      <button type="submit" disabled={!accountId.trim()}>
        Create account
      </button>
      {message && <output>{message}</output>}
    </form>
  );
}
