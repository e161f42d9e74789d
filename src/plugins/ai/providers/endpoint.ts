/**
 * Where a provider's API is: the flow's `baseUrl` when it gives one; else the worker's setting
 * (`WINDHOVER_AI_GEMINI_BASE_URL`, `WINDHOVER_AI_OPENAI_BASE_URL`, `WINDHOVER_AI_ANTHROPIC_BASE_URL`,
 * or `ai.*BaseUrl` in windhover.yml), which points flows that name no endpoint (the course's) at
 * a gateway, a local server or a test double without changing them; else the provider's own.
 * A base URL holds the API version path, as Kestra's `baseUrl` does (`…/v1beta`, `…/v1`).
 */
import type { TaskContext } from '../../api.js';
import { checkHttpUrl } from '../../shared/http-client.js';
import { PROVIDER_ENDPOINTS } from './endpoints.js';
import type { ProviderKind } from './endpoints.js';

export { PROVIDER_ENDPOINTS };
export type { ProviderKind };

/** The base URL calls of a provider go to, without a trailing slash. */
export function baseUrlOf(
  ctx: Pick<TaskContext, 'workerEnv'>,
  kind: ProviderKind,
  flowBaseUrl: string | undefined,
  property: string,
): string {
  const { variable, defaultUrl } = PROVIDER_ENDPOINTS[kind];
  const fromFlow = flowBaseUrl?.trim();
  const fromSetting = ctx.workerEnv[variable]?.trim();
  const chosen = fromFlow || fromSetting || defaultUrl;
  checkHttpUrl(chosen, fromFlow ? `${property}.baseUrl` : fromSetting ? variable : `${property}.baseUrl`);
  return chosen.replace(/\/+$/, '');
}
