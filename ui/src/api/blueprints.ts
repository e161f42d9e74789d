/** The blueprints API: ready flows to start from (`GET /blueprints`, `GET /blueprints/{id}`). */
import { api } from './client';

/** One blueprint as listed. */
export interface BlueprintSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  includedTasks: string[];
}

/** One blueprint with its flow YAML. */
export interface Blueprint extends BlueprintSummary {
  source: string;
  file: string;
}

/** Every blueprint of the server's gallery. */
export function listBlueprints(signal?: AbortSignal) {
  return api<{ results: BlueprintSummary[]; total: number }>('/blueprints', signal ? { signal } : {});
}

/** One blueprint with its YAML. */
export function getBlueprint(id: string, signal?: AbortSignal) {
  return api<Blueprint>(`/blueprints/${encodeURIComponent(id)}`, signal ? { signal } : {});
}
