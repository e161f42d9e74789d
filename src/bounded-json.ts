/**
 * JSON from clients, read under a nesting limit: a body nested thousands deep parses, then
 * overflows the stack of whatever walks it next (rendering, cloning, the store's encoding).
 * The depth is counted in one pass over the text, before parsing.
 */

/** The deepest nesting of arrays and objects accepted from a client. */
export const MAX_JSON_DEPTH = 200;

/** Thrown for a text nested deeper than the limit; callers turn it into a 400. */
export class JsonTooDeepError extends Error {
  constructor(readonly limit: number) {
    super(`the JSON is nested more than ${limit} levels deep`);
    this.name = 'JsonTooDeepError';
  }
}

/** Whether a JSON text nests arrays and objects deeper than `limit` (strings are skipped). */
export function jsonDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}

/** `JSON.parse`, refusing with JsonTooDeepError a text nested deeper than MAX_JSON_DEPTH. */
export function parseJsonBounded(text: string, limit = MAX_JSON_DEPTH): unknown {
  if (jsonDeeperThan(text, limit)) throw new JsonTooDeepError(limit);
  return JSON.parse(text) as unknown;
}
