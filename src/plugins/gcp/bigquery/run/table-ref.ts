/** BigQuery table and dataset names as tasks write them, and as the REST API wants them. */
import { TaskFailure } from '../../../api.js';

/** A table as the REST API names it. */
export interface TableReference {
  projectId: string;
  datasetId: string;
  tableId: string;
}

/**
 * Reads `dataset.table`, `project.dataset.table` or the legacy `project:dataset.table` (backquotes
 * allowed around the whole name); a name without a project gets `defaultProject`.
 */
export function parseTableName(name: string, defaultProject: string, property: string): TableReference {
  const text = name.trim().replace(/^`(.*)`$/, '$1');
  const legacy = /^([^:]+):([^.]+)\.([^.]+)$/.exec(text);
  if (legacy) return { projectId: legacy[1]!, datasetId: legacy[2]!, tableId: legacy[3]! };
  const parts = text.split('.');
  if (parts.length === 2 && parts.every((part) => part !== '')) {
    return { projectId: defaultProject, datasetId: parts[0]!, tableId: parts[1]! };
  }
  if (parts.length === 3 && parts.every((part) => part !== '')) {
    return { projectId: parts[0]!, datasetId: parts[1]!, tableId: parts[2]! };
  }
  throw new TaskFailure(
    `\`${property}\`: \`${name}\` is not a table name; write \`dataset.table\` or \`project.dataset.table\``,
  );
}

/** `project.dataset.table`, as Kestra's load outputs write a table. */
export function tableText(ref: TableReference): string {
  return `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
}

/** A dataset written `dataset` or `project.dataset`. */
export function parseDatasetName(
  name: string,
  defaultProject: string,
  property: string,
): { projectId: string; datasetId: string } {
  const parts = name.trim().split('.');
  if (parts.length === 1 && parts[0] !== '') return { projectId: defaultProject, datasetId: parts[0]! };
  if (parts.length === 2 && parts.every((part) => part !== '')) {
    return { projectId: parts[0]!, datasetId: parts[1]! };
  }
  throw new TaskFailure(
    `\`${property}\`: \`${name}\` is not a dataset name; write \`dataset\` or \`project.dataset\``,
  );
}
