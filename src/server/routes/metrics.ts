/** Placeholder: the metrics routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the metrics routes. */
export function registerMetricsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
