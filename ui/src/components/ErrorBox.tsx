/** An API error shown where the data would be: its message and code (never a blank page). */
import { ApiError } from '../api/client';

export function ErrorBox({ error, title = 'Something went wrong' }: { error: unknown; title?: string }) {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="error-box" role="alert">
      <strong>{title}</strong>
      <pre>{message}</pre>
      {code && <span className="muted">{code}</span>}
    </div>
  );
}
