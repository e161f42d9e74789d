/**
 * Basic-auth credentials of this browser tab, kept in sessionStorage (gone when the tab closes).
 */
const KEY = 'windhover.credentials';

/** Saves the credentials the login form was given. */
export function saveCredentials(username: string, password: string): void {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  sessionStorage.setItem(KEY, btoa(String.fromCharCode(...bytes)));
}

/** Forgets them (logout, or a 401). */
export function forgetCredentials(): void {
  sessionStorage.removeItem(KEY);
}

/** Whether the tab holds credentials. */
export function hasCredentials(): boolean {
  return sessionStorage.getItem(KEY) !== null;
}

/** The Authorization header, when the tab holds credentials. */
export function credentialsHeader(): Record<string, string> {
  const token = sessionStorage.getItem(KEY);
  return token ? { authorization: `Basic ${token}` } : {};
}
