/** `GET /metrics`: Prometheus text (see src/server/metrics/collector.ts for what is measured). */
import type { FastifyInstance } from 'fastify';
import type { MonitoringDeps } from '../deps.js';
import { createServerMetrics } from '../metrics/collector.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus.js';

/** Registers the metrics route; collecting starts now and stops when the app closes. */
export function registerMetricsRoutes(app: FastifyInstance, deps: MonitoringDeps): void {
  const metrics = createServerMetrics(deps.runtime, deps.store);
  app.addHook('onClose', (_instance, done) => {
    metrics.close();
    done();
  });
  app.get(
    '/metrics',
    {
      schema: {
        summary:
          'Prometheus metrics: executions by state, task run durations, queue depth and lag, cluster members',
        tags: ['Monitoring'],
      },
    },
    async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await metrics.render()),
  );
}
