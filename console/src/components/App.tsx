import { useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { keyStore } from '../key-store';
import { ConsoleView } from './ConsoleView';
import { SignIn } from './SignIn';

export function App() {
  const [api, setApi] = useState<Api | null>(() => {
    const key = keyStore.get();
    return key ? new Api(key) : null;
  });
  const [error, setError] = useState<string | null>(null);

  const signIn = async (key: string) => {
    const candidate = new Api(key);
    try {
      // Any key that is accepted may list (an account key sees its own accounts).
      await candidate.get('/accounts?limit=1');
      keyStore.set(key);
      setError(null);
      setApi(candidate);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The server did not answer');
    }
  };
  const signOut = () => {
    keyStore.clear();
    setApi(null);
  };

  return api ? <ConsoleView api={api} onSignOut={signOut} /> : <SignIn onSignIn={signIn} error={error} />;
}
