/** Placeholder: the flows routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the flows routes. */
export function registerFlowRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
