/**
 * Tells the editor when the flow it edits was saved by someone else: its file edited on disk (a
 * server with `-f` deploys it as a new revision), or another client. The latest revision is
 * polled while the page is visible; one newer than the editor's and with another text is news.
 */
import { useQuery } from '@tanstack/react-query';
import { getFlow } from '../../api/flows';
import type { Flow } from '../../api/flows';

/** How often the latest revision is asked for while the editor is open. */
export const REVISION_POLL_MS = 2_000;

/**
 * The latest revision of the flow when it is newer than `known` and its source differs from
 * `saved` (the editor's last saved text: its own save is no news); undefined otherwise.
 */
export function useNewerRevision(
  flow: { namespace: string; id: string } | undefined,
  known: number | undefined,
  saved: string | undefined,
): Flow | undefined {
  const latest = useQuery({
    queryKey: ['flow', flow?.namespace, flow?.id, 'latest'],
    queryFn: ({ signal }) => getFlow(flow!.namespace, flow!.id, signal),
    enabled: flow !== undefined && known !== undefined,
    refetchInterval: REVISION_POLL_MS,
  });
  const data = latest.data;
  if (!data || known === undefined || data.revision <= known || data.source === saved) return undefined;
  return data;
}
