/** Whether the page's tab is visible: a hidden tab need not poll. */
import { useEffect, useState } from 'react';

/** document.visibilityState === 'visible', kept up to date. */
export function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === 'visible');
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', update);
    return () => document.removeEventListener('visibilitychange', update);
  }, []);
  return visible;
}
