/** Placeholder: the triggers routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the triggers routes. */
export function registerTriggerRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
