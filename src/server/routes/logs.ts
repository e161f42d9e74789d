/** Placeholder: the logs routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the logs routes. */
export function registerLogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
