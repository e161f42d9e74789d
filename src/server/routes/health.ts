/**
 * `GET /health`: `{ status: 'UP' }` (Kestra's shape) when the store answers, 503 with
 * `status: 'DOWN'` when it does not. Open without credentials, for load balancers.
 */
import type { FastifyInstance } from 'fastify';
import type { MonitoringDeps } from '../deps.js';

/** Registers the health route. */
export function registerHealthRoutes(app: FastifyInstance, deps: MonitoringDeps): void {
  app.get(
    '/health',
    { schema: { summary: "The server's health: { status: 'UP' | 'DOWN', details }", tags: ['Monitoring'] } },
    async (_request, reply) => {
      const uptimeSeconds = Math.round(process.uptime());
      try {
        await deps.store.countJobs();
        return { status: 'UP', details: { store: { status: 'UP' }, uptimeSeconds } };
      } catch (error) {
        return reply.status(503).send({
          status: 'DOWN',
          details: { store: { status: 'DOWN', error: (error as Error).message }, uptimeSeconds },
        });
      }
    },
  );
}
