/** A value that follows another after it has stopped changing for `delay` ms. */
import { useEffect, useState } from 'react';

/** `value`, `delay` ms after its last change (typing does not fire a request per key). */
export function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}
