/** The login form (when the server has basic auth on): the credentials are checked by one API call. */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../api/client';
import { forgetCredentials, saveCredentials } from '../api/credentials';

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    saveCredentials(username, password);
    try {
      await api('/flows/search', { query: { size: 1 } });
      const next = params.get('next');
      void navigate(next?.startsWith('/') ? next : '/flows', { replace: true });
    } catch (failure) {
      forgetCredentials();
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'Wrong username or password.'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form className="card login-card" onSubmit={(event) => void submit(event)}>
        <h1>Windhover</h1>
        <p className="muted">This server asks for a username and password.</p>
        <label>
          Username
          <input autoFocus value={username} onChange={(e) => setUsername(e.target.value)} name="username" />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            name="password"
          />
        </label>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
