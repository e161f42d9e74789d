/** Placeholder: the kv routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the kv routes. */
export function registerKvRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
