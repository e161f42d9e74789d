/**
 * Tells the editor when the flow it edits was changed by someone else: its file edited or
 * removed on disk (a server with `-f` deploys the edit as a new revision, or deletes the flow),
 * or another client. The latest revision is polled while the page is visible; one newer than the
 * editor's and with another text is news, and so is a flow that is gone.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/client';
import { getFlow } from '../../api/flows';
import type { Flow } from '../../api/flows';

/** How often the latest revision is asked for while the editor is open. */
export const REVISION_POLL_MS = 2_000;

/** What changed outside the editor. */
export interface OutsideChange {
  /** The latest revision, when newer than the editor's and holding another text. */
  newer?: Flow;
  /** The flow was deleted (its file removed, or another client deleted it). */
  deleted: boolean;
}

const gone = (error: unknown) => error instanceof ApiError && error.status === 404;

/**
 * What changed since the editor loaded revision `known` or saved `saved` (its own save is no
 * news); nothing for a new flow.
 */
export function useOutsideChange(
  flow: { namespace: string; id: string } | undefined,
  known: number | undefined,
  saved: string | undefined,
): OutsideChange {
  const latest = useQuery({
    queryKey: ['flow', flow?.namespace, flow?.id, 'latest'],
    queryFn: ({ signal }) => getFlow(flow!.namespace, flow!.id, signal),
    enabled: flow !== undefined && known !== undefined,
    refetchInterval: REVISION_POLL_MS,
    // A deleted flow is an answer, not a failure to retry.
    retry: (failures, error) => !gone(error) && failures < 3,
  });
  const deleted = gone(latest.error);
  const data = latest.data;
  if (deleted || !data || known === undefined || data.revision <= known || data.source === saved)
    return { deleted };
  return { newer: data, deleted };
}
