/** Placeholder: the plugins routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the plugins routes. */
export function registerPluginRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
