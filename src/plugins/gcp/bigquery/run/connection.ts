/** The BigQuery client of a task, from its rendered connection properties. */
import type { BigQuery } from '@google-cloud/bigquery';
import type { TaskContext } from '../../../api.js';
import { bigQueryClient, gcpConnection } from '../../clients.js';

/** A text property, or undefined when absent or empty. */
export function textProp(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** The task's BigQuery client (the client package is loaded on first use). */
export function openBigQuery(ctx: TaskContext, props: Record<string, unknown>): Promise<BigQuery> {
  return bigQueryClient(ctx, gcpConnection(props));
}

/** The project jobs and unqualified names use: the task's `projectId`, else the client's. */
export async function projectOf(bigquery: BigQuery): Promise<string> {
  try {
    return await bigquery.getProjectId();
  } catch {
    return bigquery.projectId;
  }
}
