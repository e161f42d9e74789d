/** Any URL the UI does not know. */
import { Link, useLocation } from 'react-router-dom';

export function NotFoundPage() {
  const location = useLocation();
  return (
    <div className="page">
      <div className="empty" data-testid="not-found">
        <h1>Page not found</h1>
        <p className="muted">
          Nothing lives at <code>{location.pathname}</code>.
        </p>
        <Link to="/flows">Go to the flows</Link>
      </div>
    </div>
  );
}
