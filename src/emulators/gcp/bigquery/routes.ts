/**
 * The BigQuery REST API v2 of the emulator, as `@google-cloud/bigquery` calls it: datasets, tables,
 * tabledata, jobs (insert, get, list, cancel, delete, getQueryResults), the synchronous jobs.query
 * and the uploads of load data. Served under `/bigquery/v2` and also at the root (the client uses
 * `BIGQUERY_EMULATOR_HOST` as its base URL as is, without `/bigquery/v2`), uploads under
 * `/upload/bigquery/v2`. Errors answer in BigQuery's shape, never with a stack trace.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginCallback,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { deleteDataset, getDataset, insertDataset, listDatasets, updateDataset } from './datasets.js';
import { BigQueryApiError, errorBody, invalid, textOf } from './errors.js';
import type { BigQueryReason } from './errors.js';
import { insertAll } from './insert-all.js';
import { JobRegistry } from './jobs/registry.js';
import { queryResultsBody } from './jobs/results.js';
import { wholeNumber } from './paging.js';
import { openService } from './service.js';
import type { BigQueryService } from './service.js';
import { BigQuerySqlError } from './sql/translate.js';
import { listTableData } from './tabledata.js';
import { deleteTable, getTable, insertTable, listTables, updateTable } from './tables.js';
import { boundaryOf, readMultipartUpload, ResumableUploads } from './uploads.js';
import type { ObjectStore } from '../storage/object-store.js';

/** What the BigQuery routes need. */
export interface BigQueryRoutesOptions {
  /** The folder of the BigQuery data (catalog and DuckDB file). */
  dataDir: string;
  /** The emulator's Cloud Storage, for gs:// URIs. */
  objects: ObjectStore;
}

type Params = Record<string, string>;
type Query = Record<string, unknown>;

/** How long jobs.query and getQueryResults wait for a job by default, as BigQuery does. */
const defaultWaitMs = 10_000;
/** insertAll and job bodies can be larger than Fastify's default 1 MiB. */
const largeBodyLimit = 64 * 1024 * 1024;

/** Anything thrown, as a BigQuery API error. */
export function apiErrorOf(error: unknown): BigQueryApiError {
  if (error instanceof BigQueryApiError) return error;
  if (error instanceof BigQuerySqlError) return new BigQueryApiError(error.reason, error.message, 'query');
  const fastify = error as Partial<FastifyError>;
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const reason: BigQueryReason = fastify.statusCode === 404 ? 'notFound' : 'invalid';
    return new BigQueryApiError(reason, fastify.message ?? 'Bad request');
  }
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return new BigQueryApiError('backendError', `The emulator failed: ${message}`);
}

function sendError(reply: FastifyReply, error: unknown): void {
  const { status, body } = errorBody(apiErrorOf(error));
  void reply.code(status).header('content-type', 'application/json; charset=UTF-8').send(body);
}

function objectBody(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalid('The request body must be a JSON object');
  return body as Record<string, unknown>;
}

/** The query parameter `timeoutMs` (BigQuery waits at most this long for a job). */
function waitMsOf(value: unknown): number {
  return Math.min(wholeNumber(value, 'timeoutMs', defaultWaitMs), 10 * 60 * 1000);
}

/** The JSON API routes, registered under a prefix. */
function apiRoutes(service: BigQueryService, jobs: JobRegistry): FastifyPluginCallback {
  return (app: FastifyInstance, _options, done) => {
    app.setErrorHandler((error, _request, reply) => sendError(reply, error));
    const large = { bodyLimit: largeBodyLimit };

    // Datasets
    app.get('/projects/:projectId/datasets', (request) => {
      const { projectId } = request.params as Params;
      return listDatasets(service, projectId!, request.query as Query);
    });
    app.post('/projects/:projectId/datasets', async (request) => {
      const { projectId } = request.params as Params;
      return insertDataset(service, projectId!, objectBody(request));
    });
    app.get('/projects/:projectId/datasets/:datasetId', (request) => {
      const { projectId, datasetId } = request.params as Params;
      return getDataset(service, projectId!, datasetId!);
    });
    app.patch('/projects/:projectId/datasets/:datasetId', (request) => {
      const { projectId, datasetId } = request.params as Params;
      return updateDataset(service, projectId!, datasetId!, objectBody(request), false);
    });
    app.put('/projects/:projectId/datasets/:datasetId', (request) => {
      const { projectId, datasetId } = request.params as Params;
      return updateDataset(service, projectId!, datasetId!, objectBody(request), true);
    });
    app.delete('/projects/:projectId/datasets/:datasetId', async (request, reply) => {
      const { projectId, datasetId } = request.params as Params;
      const query = request.query as Query;
      await deleteDataset(
        service,
        projectId!,
        datasetId!,
        query.deleteContents === 'true' || query.deleteContents === true,
      );
      return reply.code(204).send();
    });

    // Tables
    app.get('/projects/:projectId/datasets/:datasetId/tables', (request) => {
      const { projectId, datasetId } = request.params as Params;
      return listTables(service, projectId!, datasetId!, request.query as Query);
    });
    app.post('/projects/:projectId/datasets/:datasetId/tables', large, async (request) => {
      const { projectId, datasetId } = request.params as Params;
      return insertTable(service, projectId!, datasetId!, objectBody(request));
    });
    app.get('/projects/:projectId/datasets/:datasetId/tables/:tableId', async (request) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      return getTable(service, { projectId: projectId!, datasetId: datasetId!, tableId: tableId! });
    });
    app.patch('/projects/:projectId/datasets/:datasetId/tables/:tableId', large, async (request) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      return updateTable(
        service,
        { projectId: projectId!, datasetId: datasetId!, tableId: tableId! },
        objectBody(request),
        false,
      );
    });
    app.put('/projects/:projectId/datasets/:datasetId/tables/:tableId', large, async (request) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      return updateTable(
        service,
        { projectId: projectId!, datasetId: datasetId!, tableId: tableId! },
        objectBody(request),
        true,
      );
    });
    app.delete('/projects/:projectId/datasets/:datasetId/tables/:tableId', async (request, reply) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      await deleteTable(service, { projectId: projectId!, datasetId: datasetId!, tableId: tableId! });
      return reply.code(204).send();
    });

    // Table data
    app.get('/projects/:projectId/datasets/:datasetId/tables/:tableId/data', async (request) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      return listTableData(
        service,
        { projectId: projectId!, datasetId: datasetId!, tableId: tableId! },
        request.query as Query,
      );
    });
    app.post('/projects/:projectId/datasets/:datasetId/tables/:tableId/insertAll', large, async (request) => {
      const { projectId, datasetId, tableId } = request.params as Params;
      return insertAll(
        service,
        { projectId: projectId!, datasetId: datasetId!, tableId: tableId! },
        objectBody(request),
      );
    });

    // Jobs
    app.post('/projects/:projectId/jobs', large, async (request) => {
      const { projectId } = request.params as Params;
      return jobs.insert(projectId!, objectBody(request));
    });
    app.get('/projects/:projectId/jobs', (request) => {
      const { projectId } = request.params as Params;
      return jobs.list(projectId!, request.query as Query);
    });
    app.get('/projects/:projectId/jobs/:jobId', (request) => {
      const { projectId, jobId } = request.params as Params;
      return jobs.get(projectId!, jobId!);
    });
    app.post('/projects/:projectId/jobs/:jobId/cancel', async (request) => {
      const { projectId, jobId } = request.params as Params;
      return jobs.cancel(projectId!, jobId!);
    });
    app.delete('/projects/:projectId/jobs/:jobId/delete', async (request, reply) => {
      const { projectId, jobId } = request.params as Params;
      await jobs.delete(projectId!, jobId!);
      return reply.code(204).send();
    });

    // Query results and the synchronous query
    app.get('/projects/:projectId/queries/:jobId', async (request) => {
      const { projectId, jobId } = request.params as Params;
      const query = request.query as Query;
      const record = await jobs.waitDone(projectId!, jobId!, waitMsOf(query.timeoutMs));
      const type = (record.resource.configuration as { jobType?: string }).jobType;
      if (type !== 'QUERY') throw invalid(`Job ${projectId}:${jobId} is not a query job`);
      return queryResultsBody(service, record, query, 'bigquery#getQueryResultsResponse');
    });
    app.post('/projects/:projectId/queries', large, async (request) => {
      const { projectId } = request.params as Params;
      const body = objectBody(request);
      const queryConfig: Record<string, unknown> = {
        query: body.query,
        useLegacySql: body.useLegacySql === true,
      };
      for (const key of ['defaultDataset', 'maximumBytesBilled', 'queryParameters', 'parameterMode'])
        if (body[key] !== undefined && body[key] !== null) queryConfig[key] = body[key];
      const job: Record<string, unknown> = {
        jobReference: {
          projectId,
          jobId: `job_${randomUUID().replace(/-/g, '')}`,
          ...(typeof body.location === 'string' ? { location: body.location } : {}),
        },
        configuration: {
          query: queryConfig,
          dryRun: body.dryRun === true,
          ...(body.labels ? { labels: body.labels } : {}),
        },
      };
      const inserted = await jobs.insert(projectId!, job);
      const jobId = (inserted.jobReference as { jobId: string }).jobId;
      if (body.dryRun === true) {
        const statistics = (inserted.statistics ?? {}) as {
          query?: { schema?: unknown };
          totalBytesProcessed?: string;
        };
        return {
          kind: 'bigquery#queryResponse',
          jobReference: inserted.jobReference,
          jobComplete: true,
          totalBytesProcessed: statistics.totalBytesProcessed ?? '0',
          schema: statistics.query?.schema ?? { fields: [] },
        };
      }
      const record = await jobs.waitDone(projectId!, jobId, waitMsOf(body.timeoutMs));
      const formatOptions = (body.formatOptions ?? {}) as Record<string, unknown>;
      const query: Query = {
        'formatOptions.useInt64Timestamp': formatOptions.useInt64Timestamp,
        'formatOptions.timestampOutputFormat': formatOptions.timestampOutputFormat,
      };
      if (body.maxResults !== undefined && body.maxResults !== null) query.maxResults = body.maxResults;
      return queryResultsBody(service, record, query, 'bigquery#queryResponse');
    });
    done();
  };
}

/** The upload routes: load jobs with their data. */
function uploadRoutes(
  service: BigQueryService,
  jobs: JobRegistry,
  uploads: ResumableUploads,
): FastifyPluginCallback {
  return (app: FastifyInstance, _options, done) => {
    app.setErrorHandler((error, _request, reply) => sendError(reply, error));
    // Bodies are read here as streams, whatever their type (JSON load data included).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    app.post('/projects/:projectId/jobs', async (request, reply) => {
      const { projectId } = request.params as Params;
      const query = request.query as Query;
      const body = request.body as Readable | undefined;
      if (query.uploadType === 'resumable') {
        const text = body === undefined ? '' : await readText(body);
        let job: unknown = {};
        if (text.trim() !== '') {
          try {
            job = JSON.parse(text);
          } catch {
            throw invalid('The job of a resumable upload must be JSON');
          }
        }
        const id = uploads.start(projectId!, job);
        const host = request.headers.host ?? `${request.hostname}`;
        const location = `${request.protocol}://${host}${request.url.split('?')[0]}?uploadType=resumable&upload_id=${id}`;
        return reply.code(200).header('location', location).header('x-guploader-uploadid', id).send();
      }
      if (query.uploadType !== 'multipart' && query.uploadType !== undefined)
        throw invalid(`Unsupported uploadType ${textOf(query.uploadType)} (multipart or resumable)`);
      if (body === undefined) throw invalid('The upload has no body');
      const file = join(service.tempDir, `upload-${randomUUID()}`);
      const job = await readMultipartUpload(body, boundaryOf(request.headers['content-type']), file);
      return jobs.insert(projectId!, job, file);
    });

    app.put('/projects/:projectId/jobs', async (request, reply) => {
      const query = request.query as Query;
      if (typeof query.upload_id !== 'string') throw invalid('Required parameter is missing: upload_id');
      const body = (request.body as Readable | undefined) ?? Readable.from([]);
      const result = await uploads.put(query.upload_id, request.headers['content-range'], body);
      if (!result.done) {
        if (result.received > 0) void reply.header('range', `bytes=0-${result.received - 1}`);
        return reply.code(308).send();
      }
      return jobs.insert(result.projectId, result.job, result.file);
    });
    done();
  };
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > 1024 * 1024) throw invalid('The job of a resumable upload is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The BigQuery emulator as a Fastify plugin: opens its catalog and DuckDB file under `dataDir`
 * when registered, closes them (interrupting running jobs) when the app closes.
 */
export function bigQueryRoutes(options: BigQueryRoutesOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    const service = await openService(options.dataDir, options.objects);
    const jobs = new JobRegistry(service);
    const uploads = new ResumableUploads(service.tempDir);
    app.addHook('onClose', async () => {
      await jobs.close();
      await uploads.close();
      service.warehouse.close();
      service.catalog.close();
    });
    await app.register(apiRoutes(service, jobs), { prefix: '/bigquery/v2' });
    await app.register(apiRoutes(service, jobs), { prefix: '' });
    await app.register(uploadRoutes(service, jobs, uploads), { prefix: '/upload/bigquery/v2' });
  };
}
