/** Placeholder: the webhooks routes are being written (issue 7). */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';

/** Registers the webhooks routes. */
export function registerWebhookRoutes(app: FastifyInstance, deps: ServerDeps): void {
  void app;
  void deps;
}
