/**
 * `GET /health`: `{ status: 'UP' }` (Kestra's shape) when the store answers, 503 with
 * `status: 'DOWN'` when it does not. Open without credentials, for load balancers. Every role's
 * process serves it, with its view of the cluster: this member, the members as the store lists
 * them, counts per role and the scheduler lease holder.
 */
import type { FastifyInstance } from 'fastify';
import type { ClusterRole } from '../../store/contract.js';
import { readClusterView } from '../cluster-view.js';
import type { MonitoringDeps } from '../deps.js';

/** The roles this process reports: the configured ones, else the runtime's. */
function rolesOf(deps: MonitoringDeps): ClusterRole[] {
  if (deps.roles) return [...deps.roles];
  const { executor, worker } = deps.runtime.roles;
  return [...(executor ? (['executor'] as const) : []), ...(worker ? (['worker'] as const) : [])];
}

/** Registers the health route. */
export function registerHealthRoutes(app: FastifyInstance, deps: MonitoringDeps): void {
  app.get(
    '/health',
    {
      schema: {
        summary: "The server's health and its view of the cluster: { status: 'UP' | 'DOWN', details }",
        tags: ['Monitoring'],
      },
    },
    async (_request, reply) => {
      const uptimeSeconds = Math.round(process.uptime());
      const member = { id: deps.runtime.memberId, roles: rolesOf(deps) };
      try {
        // Listing the members is the store probe: a store that answers it is UP.
        const cluster = await readClusterView(deps.store);
        return { status: 'UP', details: { store: { status: 'UP' }, uptimeSeconds, member, cluster } };
      } catch (error) {
        return reply.status(503).send({
          status: 'DOWN',
          details: { store: { status: 'DOWN', error: (error as Error).message }, uptimeSeconds, member },
        });
      }
    },
  );
}
