/** The frame of every page: the navigation, the top bar (theme, logout) and the server-down banner. */
import type { ReactNode } from 'react';
import { NavLink, useNavigate } from 'react-router-dom';
import { forgetCredentials, hasCredentials } from '../api/credentials';
import { Icon } from '../components/Icon';
import type { IconName } from '../components/Icon';
import { Toasts } from '../components/Toasts';
import { useServerDown } from './connection';
import { useTheme } from './theme';

const NAV: { to: string; label: string; icon: IconName }[] = [
  { to: '/', label: 'Home', icon: 'home' },
  { to: '/flows', label: 'Flows', icon: 'flows' },
  { to: '/executions', label: 'Executions', icon: 'executions' },
  { to: '/logs', label: 'Logs', icon: 'logs' },
  { to: '/triggers', label: 'Triggers', icon: 'triggers' },
  { to: '/namespaces', label: 'Namespaces', icon: 'namespaces' },
  { to: '/blueprints', label: 'Blueprints', icon: 'blueprints' },
  { to: '/plugins', label: 'Plugins', icon: 'plugins' },
];

export function Layout({ children }: { children: ReactNode }) {
  const [theme, toggleTheme] = useTheme();
  const down = useServerDown();
  const navigate = useNavigate();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <NavLink to="/" className="brand">
          <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden="true">
            <path d="M4 22 L16 6 L28 22 L16 16 Z" fill="currentColor" />
          </svg>
          Windhover
        </NavLink>
        {NAV.map((item) => (
          <NavLink key={item.to} to={item.to} end={item.to === '/'} className="nav-link">
            <Icon name={item.icon} />
            {item.label}
          </NavLink>
        ))}
        <div className="sidebar-foot">
          <button type="button" className="ghost" onClick={toggleTheme} data-testid="theme-toggle">
            <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
          {hasCredentials() && (
            <button
              type="button"
              className="ghost"
              onClick={() => {
                forgetCredentials();
                void navigate('/login');
              }}
            >
              <Icon name="logout" />
              Log out
            </button>
          )}
        </div>
      </nav>
      <main className="content">
        {down && (
          <div className="banner banner-error" role="alert" data-testid="server-down">
            The server does not answer. Retrying… (is <code>windhover server</code> running?)
          </div>
        )}
        {children}
      </main>
      <Toasts />
    </div>
  );
}
