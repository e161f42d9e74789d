import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { addServerConnectionOptions, apiClientFor } from '../api-client.js';
import type { ServerConnectionOptions } from '../api-client.js';
import { out } from '../output.js';

const KV_TYPES = ['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON'] as const;

interface KvUpdateOptions extends ServerConnectionOptions {
  expiration?: string;
  type?: string;
  fileValue?: string;
}

/** `windhover namespace kv update NS KEY VALUE`: Kestra's command, through the server's API. */
export function registerNamespaceKv(program: Command): void {
  const namespace = program.command('namespace').description('Manage namespaces on a server');
  const kv = namespace.command('kv').description("Manage a namespace's KV store");
  addServerConnectionOptions(
    kv
      .command('update')
      .description(
        'Set a KV entry of a namespace. The value is typed as Kestra types it: JSON keeps its type (12, true, {"a":1}, "quoted text"), ISO dates and durations are dates and durations, other text is a string.',
      )
      .argument('<namespace>', 'the namespace')
      .argument('<key>', 'the key')
      .argument('[value]', 'the value (or -f FILE)')
      .option('-e, --expiration <duration>', 'expire after this ISO-8601 duration (PT1H, P7D)')
      .option(
        '-t, --type <type>',
        `read the value as this type: ${KV_TYPES.join(', ')} (STRING keeps JSON-looking text as text)`,
      )
      .option('-f, --file-value <file>', 'read the value from a file (wins over <value>)'),
  ).action(async (ns: string, key: string, value: string | undefined, options: KvUpdateOptions) => {
    const text = options.fileValue !== undefined ? readValueFile(options.fileValue) : value;
    if (text === undefined) throw new WindhoverError(ErrorCodes.USAGE, 'give a value, or -f FILE');
    const type = options.type?.toUpperCase();
    if (type !== undefined && !(KV_TYPES as readonly string[]).includes(type))
      throw new WindhoverError(
        ErrorCodes.USAGE,
        `--type takes one of ${KV_TYPES.join(', ')}, got \`${options.type}\``,
      );
    if (
      options.expiration !== undefined &&
      !/^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(options.expiration)
    )
      throw new WindhoverError(
        ErrorCodes.USAGE,
        `--expiration takes an ISO-8601 duration such as PT1H, got \`${options.expiration}\``,
      );
    await apiClientFor(options).request(
      'PUT',
      `/namespaces/${encodeURIComponent(ns)}/kv/${encodeURIComponent(key)}`,
      {
        body: kvBody(text, type),
        contentType: 'text/plain',
        ...(options.expiration ? { headers: { ttl: options.expiration } } : {}),
      },
    );
    out(`KV ${ns}/${key} updated${options.expiration ? ` (expires after ${options.expiration})` : ''}`);
  });
}

/**
 * The body of a value, as Kestra's CLI sends it: the text as is, which the server types as Kestra
 * does (JSON literals keep their type, bare ISO dates and durations are dates and durations,
 * other text is a string); with --type STRING, a JSON string, so `12` stays text.
 */
export function kvBody(value: string, type?: string): string {
  if (type === 'STRING') return JSON.stringify(value);
  if (type === 'NUMBER' || type === 'BOOLEAN' || type === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    const fits =
      type === 'NUMBER'
        ? typeof parsed === 'number'
        : type === 'BOOLEAN'
          ? typeof parsed === 'boolean'
          : parsed !== undefined;
    if (!fits)
      throw new WindhoverError(
        ErrorCodes.USAGE,
        `the value is not ${type === 'JSON' ? 'JSON' : `a ${type.toLowerCase()}`}: ${value}`,
      );
  }
  return value;
}

function readValueFile(path: string): string {
  try {
    return readFileSync(path.trim(), 'utf8');
  } catch {
    throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `cannot read the value file: ${path}`);
  }
}
