/** Placeholder: the executions routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the executions routes. */
export function registerExecutionRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
