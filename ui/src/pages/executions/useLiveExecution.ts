/**
 * An execution kept current by following its event stream (no polling): the first answer comes
 * from GET /executions/{id}, then every committed change from /follow until the execution ends.
 * `refollow()` follows again after a command (restart, resume…) revives an ended execution.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { followExecution, getExecution } from '../../api/executions';
import type { Execution } from '../../api/types';

/** How often, at most, a follow is retried when a command has not been applied yet. */
const MAX_STALE_ENDS = 20;

/** The execution, whether it is still followed, and a way to follow again. */
export function useLiveExecution(id: string) {
  const queryClient = useQueryClient();
  const key = ['execution', id];
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => getExecution(id, signal) });
  const [generation, setGeneration] = useState(0);
  const [live, setLive] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let staleEnds = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const baseline = queryClient.getQueryData<Execution>(['execution', id])?.state.histories.length ?? 0;
    const follow = () => {
      setLive(true);
      let endedUnchanged = false;
      followExecution(
        id,
        (execution, ended) => {
          queryClient.setQueryData(['execution', id], execution);
          // After a command, the stream may still report the old ended state: follow again shortly.
          endedUnchanged = ended && generation > 0 && execution.state.histories.length <= baseline;
        },
        controller.signal,
      )
        .then(() => {
          if (endedUnchanged && staleEnds++ < MAX_STALE_ENDS) timer = setTimeout(follow, 250);
          else setLive(false);
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setLive(false);
          // An unknown execution or a refused request will not get better by retrying.
          if (error instanceof ApiError && error.status >= 400 && error.status < 500) return;
          // The stream broke (server restart, network): follow again after a pause.
          console.warn('execution stream closed', error);
          timer = setTimeout(follow, 2000);
        });
    };
    follow();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
    // `generation` restarts the follow on purpose; the query client is stable.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, generation]);

  const refollow = useCallback(() => setGeneration((n) => n + 1), []);
  return { query, live, refollow };
}
