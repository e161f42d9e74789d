/** Placeholder: the namespace-files routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the namespace-files routes. */
export function registerNamespaceFileRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
