import { useState } from 'preact/hooks';

export function SignIn({ onSignIn, error }: { onSignIn: (key: string) => void; error: string | null }) {
  const [key, setKey] = useState('');
  return (
    <main class="sign-in">
      <h1>WhatsApp accounts console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) onSignIn(key.trim());
        }}
      >
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="off" value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        <button type="submit">Sign in</button>
        <p class="hint">Kept in this tab only (sessionStorage) and sent as x-api-key.</p>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
