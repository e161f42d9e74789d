/**
 * Light and dark themes: the choice is the `data-theme` of <html>, kept in localStorage. Readers
 * follow the attribute itself (a MutationObserver), so whatever sets it, every part agrees.
 */
import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'light' | 'dark';
const KEY = 'windhover.theme';

function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function subscribe(listener: () => void): () => void {
  const observer = new MutationObserver(listener);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

/** The current theme (follows changes). */
export function useCurrentTheme(): Theme {
  return useSyncExternalStore(subscribe, currentTheme);
}

/** The theme and a function to switch it. */
export function useTheme(): [Theme, () => void] {
  const theme = useCurrentTheme();
  const toggle = useCallback(() => {
    const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem(KEY, next);
  }, []);
  return [theme, toggle];
}
