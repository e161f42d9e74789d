/**
 * Blueprints: ready flows to start from, in the spirit of Kestra's community blueprints
 * (`GET /blueprints/community/flow`, `…/{id}`, `…/{id}/source`). The gallery is
 * `blueprints/catalog.json` in the package: each entry names a flow file of the package
 * (our examples, the course's pipelines), read once on first request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { ServerDeps } from '../deps.js';

/** The package root (src/server/routes or dist/server/routes, three levels up). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One blueprint as listed (Kestra's `Blueprint`): no source. */
export interface BlueprintSummary {
  id: string;
  title: string;
  description: string;
  tags: string[];
  /** The task types the flow uses, in order of first use. */
  includedTasks: string[];
}

/** One blueprint with its flow YAML. */
export interface Blueprint extends BlueprintSummary {
  source: string;
  /** The package file the flow comes from, e.g. `examples/flows/01_hello_world.yaml`. */
  file: string;
}

interface CatalogEntry {
  id: string;
  title: string;
  description: string;
  tags: string[];
  file: string;
}

const TAGS = ['Blueprints'];

function taskTypes(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) taskTypes(item, into);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.type === 'string' && typeof record.id === 'string') into.add(record.type);
    for (const [key, child] of Object.entries(record)) if (key !== 'triggers') taskTypes(child, into);
  }
}

/** Reads the catalog and each blueprint's source from a package root. */
export function loadBlueprints(root: string = PACKAGE_ROOT): Blueprint[] {
  const entries = JSON.parse(
    readFileSync(join(root, 'blueprints', 'catalog.json'), 'utf8'),
  ) as CatalogEntry[];
  return entries.map((entry) => {
    const source = readFileSync(join(root, entry.file), 'utf8');
    const types = new Set<string>();
    const flow = parse(source) as Record<string, unknown> | null;
    taskTypes([flow?.tasks, flow?.errors, flow?.finally, flow?.afterExecution], types);
    return { ...entry, source, includedTasks: [...types] };
  });
}

function summary({ id, title, description, tags, includedTasks }: Blueprint): BlueprintSummary {
  return { id, title, description, tags, includedTasks };
}

/** Whether a blueprint matches a free-text query (title, description, tags, task types). */
function matches(blueprint: Blueprint, q: string | undefined, tags: string[]): boolean {
  if (
    tags.length > 0 &&
    !tags.every((tag) => blueprint.tags.some((t) => t.toLowerCase() === tag.toLowerCase()))
  )
    return false;
  if (!q) return true;
  const needle = q.toLowerCase();
  return [blueprint.title, blueprint.description, ...blueprint.tags, ...blueprint.includedTasks].some(
    (text) => text.toLowerCase().includes(needle),
  );
}

interface ListQuery {
  q?: string;
  tags?: string | string[];
}

/** Registers the blueprint routes, ours (`/blueprints`) and Kestra's (`/blueprints/community/flow`). */
export function registerBlueprintRoutes(app: FastifyInstance, _deps: ServerDeps): void {
  let cache: Blueprint[] | undefined;
  const all = () => (cache ??= loadBlueprints());
  const find = (id: string) => {
    const found = all().find((b) => b.id === id);
    if (!found) throw new WindhoverError(ErrorCodes.NOT_FOUND, `No blueprint ${id}`, { id });
    return found;
  };
  const list = (query: ListQuery) => {
    const tags = query.tags === undefined ? [] : [query.tags].flat();
    const results = all()
      .filter((b) => matches(b, query.q, tags))
      .map(summary);
    return Promise.resolve({ results, total: results.length });
  };
  for (const base of ['/blueprints', '/blueprints/community/flow']) {
    app.get<{ Querystring: ListQuery }>(
      base,
      { schema: { summary: 'Ready flows to start from (filter with q and tags)', tags: TAGS } },
      (request) => list(request.query),
    );
    app.get<{ Params: { id: string } }>(
      `${base}/:id`,
      { schema: { summary: 'One blueprint with its flow YAML', tags: TAGS } },
      (request) => Promise.resolve(find(request.params.id)),
    );
    app.get<{ Params: { id: string } }>(
      `${base}/:id/source`,
      { schema: { summary: "One blueprint's flow YAML", tags: TAGS } },
      async (request, reply) => reply.type('application/x-yaml').send(find(request.params.id).source),
    );
  }
}
