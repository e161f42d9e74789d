/**
 * Flows with Kestra's paths: create from YAML, update (a new revision), get with source, list a
 * namespace, search with paging, revisions, delete, validate (several documents), import of
 * files, a namespace's flows in one request, and the graph. Saving and deleting go through
 * server/flow-deploy.ts, which validates and tells the scheduler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { validateFlowSource } from '../../flow/index.js';
import { withPluginsFor } from '../../plugins/on-demand.js';
import type { Problem } from '../../flow/index.js';
import type { ServerDeps } from '../deps.js';
import {
  checkFlowDocuments,
  checkFlowSizes,
  deleteFlow,
  deployFlows,
  flowInvalid,
  saveValidFlows,
  splitYamlDocuments,
} from '../flow-deploy.js';
import type { FlowDocument } from '../flow-deploy.js';
import { flowGraph, registerFlowGraphRoutes } from './flow-graph.js';
import { flowJson, yamlBody } from './flow-json.js';
import { namespaceParam } from './namespace-param.js';
import { MAX_PAGE_SIZE, MAX_REVISION, queryBoolean, queryInteger, queryPage, queryText } from './paging.js';
import type { Query } from './paging.js';

const TAGS = ['Flows'];
const YAML_FILE = /\.ya?ml$/i;

interface FlowParams {
  namespace: string;
  id: string;
}

/** Kestra's `ValidateConstraintViolation`, with our problems (positions) beside its text. */
export interface FlowValidationView {
  index: number;
  flow?: string;
  namespace?: string;
  /** Every error, one per line; absent when the flow is valid. */
  constraints?: string;
  outdated: boolean;
  deprecationPaths: string[];
  warnings: string[];
  infos: string[];
  problems: Problem[];
}

function flowNotFound(namespace: string, id: string, revision?: number): WindhoverError {
  return new WindhoverError(
    ErrorCodes.FLOW_NOT_FOUND,
    `Flow ${namespace}.${id}${revision !== undefined ? ` revision ${revision}` : ''} not found`,
    { namespace, id, ...(revision !== undefined ? { revision } : {}) },
  );
}

function problemLine(problem: Problem): string {
  const where = problem.path.length > 0 ? `${formatPath(problem.path)}: ` : '';
  return `${where}${problem.message} (line ${problem.line}, column ${problem.column})`;
}

function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

/** Validates a body that may hold several flows; one answer per flow (Kestra's shape). */
export async function validateFlowsText(
  deps: Pick<ServerDeps, 'catalog'>,
  text: string,
): Promise<FlowValidationView[]> {
  // An on-demand catalog imports the plugins the flows name first.
  const result = await withPluginsFor(
    text,
    () => validateFlowSource(text, { catalog: deps.catalog }),
    deps.catalog,
  );
  const view = (
    index: number,
    problems: Problem[],
    flow?: string,
    namespace?: string,
  ): FlowValidationView => {
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warning');
    return {
      index,
      ...(flow !== undefined ? { flow } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      ...(errors.length > 0 ? { constraints: errors.map(problemLine).join('\n') } : {}),
      outdated: false,
      deprecationPaths: problems.filter((p) => /deprecat/i.test(p.message)).map((p) => formatPath(p.path)),
      warnings: warnings.map(problemLine),
      infos: [],
      problems,
    };
  };
  if (result.flows.length === 0) return [view(0, result.problems)];
  return result.flows.map((f, index) =>
    view(index, index === 0 ? [...result.problems, ...f.problems] : f.problems, f.id, f.namespace),
  );
}

/** Reads the YAML files of a multipart upload (any field name) as flow documents. */
async function uploadedDocuments(
  request: FastifyRequest,
): Promise<{ documents: FlowDocument[]; refused: Array<{ file: string; message: string }> }> {
  if (!request.isMultipart())
    throw new WindhoverError(
      ErrorCodes.REQUEST_INVALID,
      'Send the flow files as multipart/form-data (one part per .yml or .yaml file)',
    );
  const documents: FlowDocument[] = [];
  const refused: Array<{ file: string; message: string }> = [];
  for await (const part of request.parts()) {
    if (part.type !== 'file') continue;
    const content = await part.toBuffer();
    const file = part.filename || part.fieldname;
    if (!YAML_FILE.test(file)) {
      refused.push({
        file,
        message: 'only .yml and .yaml files are imported (zip archives are not supported)',
      });
      continue;
    }
    const text = content.toString('utf8');
    checkFlowSizes(text, file);
    documents.push(...splitYamlDocuments(text, file));
  }
  return { documents, refused };
}

/** Registers the flows routes. */
export function registerFlowRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { store } = deps;
  registerFlowGraphRoutes(app);

  const stored = async (namespace: string, id: string, revision?: number) => {
    const flow = await store.getFlow(namespace, id, revision);
    if (!flow || (revision === undefined && flow.deleted)) throw flowNotFound(namespace, id, revision);
    return flow;
  };

  app.post(
    '/flows',
    { schema: { summary: 'Create a flow from its YAML (409 if it exists)', tags: TAGS } },
    async (request, reply) => {
      const documents = splitYamlDocuments(yamlBody(request.body));
      if (documents.length > 1)
        throw new WindhoverError(
          ErrorCodes.FLOW_INVALID,
          `The body holds ${documents.length} flows; create one at a time, or use POST /flows/{namespace}`,
        );
      const [saved] = await deployFlows(deps, documents, async (flow) => {
        const existing = await store.getFlow(flow.namespace, flow.id);
        if (existing && !existing.deleted)
          throw new WindhoverError(
            ErrorCodes.FLOW_EXISTS,
            `Flow ${flow.namespace}.${flow.id} already exists: update it with PUT /flows/${flow.namespace}/${flow.id}`,
            { namespace: flow.namespace, id: flow.id },
          );
      });
      return reply.status(200).send(flowJson(saved!));
    },
  );

  app.post<{ Params: { namespace: string }; Querystring: Query }>(
    '/flows/:namespace',
    {
      schema: {
        summary:
          "Deploy every flow of a YAML body (documents separated by ---) to a namespace; with delete=true (Kestra's default) its other flows are deleted",
        tags: TAGS,
      },
    },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      const remove = queryBoolean(request.query, 'delete', true);
      const body = request.body;
      // An empty body is allowed here: with delete=true it empties the namespace.
      const text = body === undefined || body === null || body === '' ? '' : yamlBody(body);
      const documents = splitYamlDocuments(text);
      const saved =
        documents.length === 0
          ? []
          : await deployFlows(deps, documents, (flow) => {
              if (flow.namespace !== namespace)
                throw new WindhoverError(
                  ErrorCodes.FLOW_INVALID,
                  `Flow ${flow.namespace}.${flow.id} is not in namespace ${namespace}: every flow sent must be in the namespace of the path`,
                );
            });
      if (remove) {
        const keep = new Set(saved.map((f) => f.id));
        const existing = await store.listFlows({ namespace, size: MAX_PAGE_SIZE });
        for (const flow of existing.results)
          if (flow.namespace === namespace && !keep.has(flow.id)) await deleteFlow(deps, namespace, flow.id);
      }
      return saved.map((flow) => flowJson(flow, false));
    },
  );

  app.put<{ Params: FlowParams }>(
    '/flows/:namespace/:id',
    { schema: { summary: 'Update a flow from its YAML (a new revision when it changed)', tags: TAGS } },
    async (request) => {
      const { namespace, id } = request.params;
      await stored(namespace, id);
      const documents = splitYamlDocuments(yamlBody(request.body));
      const [saved] = await deployFlows(deps, documents.slice(0, 1), (flow) => {
        if (documents.length > 1)
          throw new WindhoverError(ErrorCodes.FLOW_INVALID, 'The body holds several flows; send one');
        if (flow.namespace !== namespace || flow.id !== id)
          throw new WindhoverError(
            ErrorCodes.FLOW_INVALID,
            `The YAML is flow ${flow.namespace}.${flow.id}, not ${namespace}.${id}: the id and namespace cannot change`,
            { path: { namespace, id }, yaml: { namespace: flow.namespace, id: flow.id } },
          );
      });
      return flowJson(saved!);
    },
  );

  app.get<{ Params: FlowParams; Querystring: Query }>(
    '/flows/:namespace/:id',
    {
      schema: {
        summary:
          'Get a flow (latest revision, or ?revision=N), with its YAML `source` (source=false leaves it out)',
        tags: TAGS,
      },
    },
    async (request) => {
      const revision = queryInteger(request.query, 'revision', { max: MAX_REVISION });
      const flow = await stored(request.params.namespace, request.params.id, revision);
      return flowJson(flow, queryBoolean(request.query, 'source', true));
    },
  );

  app.get<{ Params: FlowParams }>(
    '/flows/:namespace/:id/revisions',
    { schema: { summary: 'Every revision of a flow, oldest first', tags: TAGS } },
    async (request) => {
      const { namespace, id } = request.params;
      const revisions = await store.flowRevisions(namespace, id);
      if (revisions.length === 0) throw flowNotFound(namespace, id);
      return revisions.map((flow) => flowJson(flow));
    },
  );

  app.delete<{ Params: FlowParams }>(
    '/flows/:namespace/:id',
    { schema: { summary: 'Delete a flow (its revisions stay for its executions)', tags: TAGS } },
    async (request, reply) => {
      const { namespace, id } = request.params;
      if (!(await deleteFlow(deps, namespace, id))) throw flowNotFound(namespace, id);
      return reply.status(204).send();
    },
  );

  app.get<{ Querystring: Query }>(
    '/flows/search',
    {
      schema: {
        summary: 'Search flows by text (q) and namespace (children included), one page at a time',
        tags: TAGS,
      },
    },
    async (request) => {
      const { page, size } = queryPage(request.query);
      const namespace = queryText(request.query, 'namespace');
      const q = queryText(request.query, 'q');
      const found = await store.listFlows({
        page,
        size,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(q !== undefined ? { query: q } : {}),
      });
      return { results: found.results.map((flow) => flowJson(flow, false)), total: found.total };
    },
  );

  app.get<{ Params: { namespace: string } }>(
    '/flows/:namespace',
    { schema: { summary: 'The flows of a namespace (not its children)', tags: TAGS } },
    async (request) => {
      const namespace = namespaceParam(request.params.namespace);
      const found = await store.listFlows({ namespace, size: MAX_PAGE_SIZE });
      return found.results
        .filter((flow) => flow.namespace === namespace)
        .map((flow) => flowJson(flow, false));
    },
  );

  app.post(
    '/flows/validate',
    {
      schema: {
        summary: 'Validate flows (one or more YAML documents) without saving them; one result per flow',
        tags: TAGS,
      },
    },
    async (request, reply) => reply.send(await validateFlowsText(deps, yamlBody(request.body))),
  );

  app.post(
    '/flows/import',
    {
      schema: {
        summary:
          'Import flows from uploaded .yml/.yaml files (multipart); valid flows are saved, invalid ones listed',
        tags: TAGS,
      },
    },
    async (request) => {
      const { documents, refused } = await uploadedDocuments(request);
      const { valid, problems } = await checkFlowDocuments(deps, documents);
      const imported = (await saveValidFlows(deps, valid)).map((saved) => flowJson(saved, false));
      const invalid = documents
        .map((document, index) => ({ document, index }))
        .filter(({ index }) => problems.some((p) => p.document === index && p.severity === 'error'))
        .map(({ document, index }) => ({
          file: document.file ?? `document ${index + 1}`,
          message: flowInvalid(problems.filter((p) => p.document === index)).message,
          problems: problems.filter((p) => p.document === index && p.severity === 'error'),
        }));
      return { imported, invalids: [...refused, ...invalid] };
    },
  );

  app.get<{ Params: FlowParams; Querystring: Query }>(
    '/flows/:namespace/:id/graph',
    {
      schema: { summary: 'The graph of a flow: its tasks, flowables, dependencies and triggers', tags: TAGS },
    },
    async (request) => {
      const revision = queryInteger(request.query, 'revision', { max: MAX_REVISION });
      const flow = await stored(request.params.namespace, request.params.id, revision);
      return flowGraph(flow);
    },
  );
}
