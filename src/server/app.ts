/**
 * The Fastify app: Kestra's REST API under `/api/v1/main` (and `/api/v1` as an alias), webhooks,
 * health, metrics and the web UI at `/`. Built from its dependencies, so tests drive it through `inject` without a
 * socket; `server/start.ts` puts it on a port.
 */
import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { installBasicAuth } from './auth.js';
import { installJsonBodyParser } from './json-body.js';
import type { MonitoringDeps, ServerDeps, ServerOptions } from './deps.js';
import { answerRouterError, installErrorHandlers } from './errors.js';
import { registerOpenApi } from './openapi.js';
import { registerBlueprintRoutes } from './routes/blueprints.js';
import { registerExecutionRoutes } from './routes/executions.js';
import { registerExecutionStatisticsRoutes } from './routes/execution-statistics.js';
import { registerFlowRoutes } from './routes/flows.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerKvRoutes } from './routes/kv.js';
import { registerLogRoutes } from './routes/logs.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerNamespaceFileRoutes } from './routes/namespace-files.js';
import { checkFlowParams } from './routes/namespace-param.js';
import { registerPluginRoutes } from './routes/plugins.js';
import { registerTriggerRoutes } from './routes/triggers.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { DEFAULT_UI_ROOT, registerUi } from './ui.js';

/** Both prefixes Kestra answers on: the tenant path and its older alias. */
export const API_PREFIXES = ['/api/v1/main', '/api/v1'] as const;

const MIB = 1024 * 1024;

/** The route modules mounted under each API prefix. */
const API_ROUTES = [
  registerFlowRoutes,
  registerExecutionRoutes,
  registerExecutionStatisticsRoutes,
  registerWebhookRoutes,
  registerLogRoutes,
  registerKvRoutes,
  registerNamespaceFileRoutes,
  registerTriggerRoutes,
  registerPluginRoutes,
  registerBlueprintRoutes,
];

/**
 * The app of a process that serves no API (executor, worker, scheduler): `/health` with its
 * view of the cluster, and `/metrics`, open like on the web server, for probes and Prometheus.
 */
export async function buildMonitoringServer(deps: MonitoringDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, frameworkErrors: answerRouterError });
  installErrorHandlers(app, undefined);
  registerHealthRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  await app.ready();
  return app;
}

/** Builds the app (not listening); call `listen` or `inject` on it. */
export async function buildServer(deps: ServerDeps, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logRequests ?? false,
    bodyLimit: options.maxBodySize ?? 10 * MIB,
    // Kestra's ids and namespaces are case-sensitive and may hold dots.
    routerOptions: { caseSensitive: true, ignoreTrailingSlash: true, maxParamLength: 1000 },
    frameworkErrors: answerRouterError,
  });
  installBasicAuth(app, options.auth);
  installJsonBodyParser(app);
  // Flow sources arrive as YAML (Kestra's UI and CLI send application/x-yaml) or plain text.
  app.addContentTypeParser(
    ['application/x-yaml', 'application/yaml', 'text/yaml', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  await app.register(multipart, {
    limits: { fileSize: options.maxUploadSize ?? 1024 * MIB, files: 100, fields: 1000 },
  });
  const pageFallback =
    options.uiRoot === false ? undefined : await registerUi(app, options.uiRoot ?? DEFAULT_UI_ROOT);
  installErrorHandlers(app, pageFallback);
  await registerOpenApi(app);
  registerHealthRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  for (const prefix of API_PREFIXES) {
    await app.register(
      (scope, _options, done) => {
        scope.addHook('preValidation', (request, _reply, next) => {
          checkFlowParams(request.params);
          next();
        });
        for (const register of API_ROUTES) register(scope, deps);
        done();
      },
      { prefix },
    );
  }
  return app;
}
