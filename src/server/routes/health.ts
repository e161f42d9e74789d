/** Placeholder: the health routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the health routes. */
export function registerHealthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
