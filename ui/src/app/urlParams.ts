/**
 * The URL's query as page state (filters, paging, the open file). Edits start from the address
 * bar as it is at the moment of the edit, not from the render's copy: two quick edits (clear one
 * filter, type in another) must both stay.
 */
import { useCallback } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The query of the address bar right now. */
export function currentUrlParams(): URLSearchParams {
  return new URLSearchParams(window.location.search);
}

/** The query, and a function that edits the current one (replacing the history entry by default). */
export function useUrlParams(): [
  URLSearchParams,
  (edit: (next: URLSearchParams) => void, options?: { replace?: boolean }) => void,
] {
  const [params, setParams] = useSearchParams();
  const editParams = useCallback(
    (edit: (next: URLSearchParams) => void, options: { replace?: boolean } = {}) => {
      const next = currentUrlParams();
      edit(next);
      setParams(next, { replace: options.replace ?? true });
    },
    [setParams],
  );
  return [params, editParams];
}
