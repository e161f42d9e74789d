/**
 * The one rule for KV keys, shared by the KV tasks (through the task context) and the `kv()`
 * expression function: Kestra's `[a-zA-Z0-9][a-zA-Z0-9._-]*`.
 */

/** Kestra's KV key pattern. */
export const KV_KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** A KV key that breaks the rule; its message names the key and the allowed characters. */
export class KvKeyError extends Error {
  readonly code = 'WH_KV_KEY_INVALID';
  constructor(readonly key: string) {
    super(
      `Invalid KV key ${JSON.stringify(key)}: ${key === '' ? 'it is empty; ' : ''}a key starts with a letter or a digit and holds only letters, digits, \`.\`, \`_\` and \`-\` (e.g. \`my_key.v-2\`)`,
    );
    this.name = 'KvKeyError';
  }
}

/** Returns the key when it is a valid KV key; throws a KvKeyError otherwise. */
export function checkKvKey(key: unknown): string {
  const text =
    typeof key === 'string'
      ? key
      : typeof key === 'number' || typeof key === 'boolean'
        ? String(key)
        : JSON.stringify(key ?? '');
  if (!KV_KEY_PATTERN.test(text)) throw new KvKeyError(text);
  return text;
}
