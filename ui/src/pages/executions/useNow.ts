/** The execution page's clock: one for the header and the Gantt, so their durations agree. */
import { useEffect, useState } from 'react';

/** The current time, re-rendering every second while `running` (running bars and durations grow). */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return running ? now : Date.now();
}
