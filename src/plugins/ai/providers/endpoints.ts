/**
 * Each AI provider's worker setting and default endpoint: a module of its own, without imports,
 * because the server's configuration reads it at start and must not load the HTTP client
 * (undici, ~5 MB of heap) with it.
 */

export type ProviderKind = 'gemini' | 'openai' | 'anthropic';

/** Each provider's setting and default endpoint. */
export const PROVIDER_ENDPOINTS: Readonly<Record<ProviderKind, { variable: string; defaultUrl: string }>> = {
  gemini: {
    variable: 'WINDHOVER_AI_GEMINI_BASE_URL',
    defaultUrl: 'https://generativelanguage.googleapis.com/v1beta',
  },
  openai: { variable: 'WINDHOVER_AI_OPENAI_BASE_URL', defaultUrl: 'https://api.openai.com/v1' },
  anthropic: { variable: 'WINDHOVER_AI_ANTHROPIC_BASE_URL', defaultUrl: 'https://api.anthropic.com/v1' },
};
