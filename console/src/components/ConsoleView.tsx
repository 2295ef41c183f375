import { Api } from '../api';

export function ConsoleView({ onSignOut }: { api: Api; onSignOut: () => void }) {
  return (
    <main>
      <button onClick={onSignOut}>Sign out</button>
    </main>
  );
}
