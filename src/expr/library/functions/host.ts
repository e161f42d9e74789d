import { defineFunction } from '../define.js';
import type { FunctionDefinition } from '../types.js';

/**
 * Functions whose answers come from the caller of the render (the engine wires the KV store,
 * secrets and internal storage): each forwards its arguments to the host function of its name.
 * A host function may answer with a promise; `renderAsync` then waits for it.
 */
export const HOST_FUNCTIONS: readonly FunctionDefinition[] = [
  defineFunction({
    name: 'kv',
    description: "The value of a key in the KV store of the flow's namespace (or of `namespace`).",
    params: ['key', 'namespace', 'errorOnMissing'],
    required: 1,
    apply: (args, call) => call.host('kv', args),
  }),
  defineFunction({
    name: 'secret',
    description:
      'A secret, read from the environment variable `SECRET_<NAME>` (base64; the name upper-cased).',
    params: ['key', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('secret', args),
  }),
  defineFunction({
    name: 'read',
    description: 'The text of a file of the internal storage (`kestra://…`) or of the namespace.',
    params: ['path', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('read', args),
  }),
  defineFunction({
    name: 'fileURI',
    description: 'The `kestra://` URI of a namespace file.',
    params: ['path', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('fileURI', args),
  }),
  defineFunction({
    name: 'fileSize',
    description: 'The size in bytes of a file of the internal storage (`kestra://…`) or of the namespace.',
    params: ['path', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('fileSize', args),
  }),
  defineFunction({
    name: 'fileExists',
    description: 'Whether a file of the internal storage exists (`kestra://…`) or of the namespace.',
    params: ['path', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('fileExists', args),
  }),
  defineFunction({
    name: 'fileEmpty',
    description: 'Whether a file of the internal storage is empty (`kestra://…`) or of the namespace.',
    params: ['path', 'namespace'],
    required: 1,
    apply: (args, call) => call.host('fileEmpty', args),
  }),
  defineFunction({
    name: 'errorLogs',
    description: 'The error logs of the current execution (for `errors` tasks and notifications).',
    params: [],
    apply: (args, call) => call.host('errorLogs', args),
  }),
];
