/** Placeholder: the OpenAPI document at /api/v1/openapi.json is being written (issue 7). */
import type { FastifyInstance } from 'fastify';

/** Registers the OpenAPI generator; must run before the routes are added. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  void app;
}
