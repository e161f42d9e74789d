import { defineTask, isRecord, p, parseIsoDuration } from '../../api.js';
import {
  directoryCacheOptions,
  restoreDirectoryCache,
  saveDirectoryCache,
} from '../../shared/directory-cache.js';
import {
  checkInputFilesText,
  collectOutputFiles,
  namespaceFilesOptions,
  parseInputFiles,
  writeInputFiles,
  writeNamespaceFiles,
} from '../../shared/working-files.js';

/**
 * Core types that do not run on a worker (flowables, subflows, execution updates), so cannot
 * be children of a WorkingDirectory. Matched on the short name under the groups below.
 */
const NOT_RUNNABLE: Readonly<Record<string, readonly string[]>> = {
  'io.kestra.plugin.core.flow.': [
    'AllowFailure',
    'Dag',
    'EachParallel',
    'EachSequential',
    'ForEach',
    'ForEachItem',
    'If',
    'LoopUntil',
    'Parallel',
    'Pause',
    'Sequential',
    'Subflow',
    'Switch',
    'Template',
    'WaitFor',
    'WorkingDirectory',
  ],
  'io.kestra.plugin.core.execution.': ['Exit', 'Labels', 'Resume'],
};
const LEGACY_GROUPS: Readonly<Record<string, string>> = {
  'io.kestra.core.tasks.flows.': 'io.kestra.plugin.core.flow.',
  'io.kestra.core.tasks.executions.': 'io.kestra.plugin.core.execution.',
};

function isRunnable(type: string): boolean {
  for (const [prefix, canonical] of [
    ...Object.keys(NOT_RUNNABLE).map((k) => [k, k] as const),
    ...Object.entries(LEGACY_GROUPS),
  ]) {
    if (type.startsWith(prefix) && NOT_RUNNABLE[canonical]?.includes(type.slice(prefix.length))) return false;
  }
  return true;
}

export default defineTask({
  type: 'io.kestra.plugin.core.flow.WorkingDirectory',
  legacyNames: ['io.kestra.core.tasks.flows.WorkingDirectory', 'io.kestra.core.tasks.flows.Worker'],
  title: 'Run tasks in one shared working directory',
  description:
    'Runs its tasks one after the other on the same worker and in the same directory, so a task sees the files the previous ones wrote. Only tasks that run on a worker may be children (no flowable tasks). `inputFiles` and namespace files are written first; `outputFiles` are kept at the end.',
  flowable: true,
  properties: {
    tasks: p.tasks().required().describe('The tasks to run in the shared directory.'),
    inputFiles: p
      .union(p.map(p.string()), p.string())
      .describe(
        'Files to create before the tasks run: file name → content (or a `kestra://` URI to copy), or that map as JSON text or an expression.',
      ),
    outputFiles: p
      .list(p.string())
      .describe('Files (glob patterns) to keep in internal storage once the tasks have run.'),
    namespaceFiles: p
      .object({
        enabled: p.boolean().default(true).describe('Copy namespace files into the directory.'),
        include: p.list(p.string()).describe('Only the namespace files matching these glob patterns.'),
        exclude: p.list(p.string()).describe('Leave out the namespace files matching these glob patterns.'),
        namespaces: p
          .list(p.string())
          .describe(
            'Namespaces to read files from, in order; a later namespace wins. The flow namespace by default.',
          ),
        ifExists: p
          .enum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE'])
          .default('OVERWRITE')
          .describe('What to do when a file already exists in the directory.'),
        folderPerNamespace: p
          .boolean()
          .default(false)
          .describe('Put the files of each namespace in a folder named after it.'),
      })
      .describe('Namespace files to copy into the directory.'),
    cache: p
      .object({
        patterns: p
          .list(p.string({ dynamic: false }), { dynamic: false })
          .required()
          .describe('Glob patterns of the files to cache, e.g. `node_modules/**`.'),
        ttl: p.duration({ dynamic: false }).describe('How long the cache is kept.'),
      })
      .describe(
        'Files kept after a successful run (when one of them changed) and put back in the directory at the start of the next execution of the flow, before namespace files and `inputFiles`; after `ttl` the cache is dropped.',
      ),
  },
  outputs: {
    outputFiles: { type: 'object', description: 'URIs of the kept `outputFiles`, by file name.' },
  },
  // Before its tasks start: the shared directory gets the cache, the namespace files, then inputFiles.
  async resolve(ctx, props) {
    const dir = await ctx.workingDirectory();
    const cache = directoryCacheOptions(props.cache, parseIsoDuration);
    // As in Kestra, a cache that cannot be restored or saved is logged, not fatal.
    if (cache)
      await restoreDirectoryCache(ctx, dir, cache).catch((error: Error) =>
        ctx.logger.warn(`The cache could not be restored: ${error.message}`),
      );
    await writeNamespaceFiles(ctx, dir, namespaceFilesOptions(props.namespaceFiles));
    await writeInputFiles(ctx, dir, parseInputFiles(props.inputFiles));
    return {};
  },
  // After its tasks ended well: the files matching outputFiles are kept, and the cache saved.
  async run(ctx, props) {
    const dir = await ctx.workingDirectory();
    const patterns = Array.isArray(props.outputFiles) ? props.outputFiles.map(String) : [];
    const outputFiles = await collectOutputFiles(ctx, dir, patterns);
    const cache = directoryCacheOptions(props.cache, parseIsoDuration);
    if (cache)
      await saveDirectoryCache(ctx, dir, cache).catch((error: Error) =>
        ctx.logger.warn(`The cache could not be saved: ${error.message}`),
      );
    return patterns.length > 0 ? { outputs: { outputFiles } } : {};
  },
  check(props, report) {
    checkInputFilesText(props.inputFiles, report);
    if (!Array.isArray(props.tasks)) return;
    props.tasks.forEach((task, index) => {
      if (!isRecord(task)) return;
      if (typeof task.type === 'string' && !isRunnable(task.type)) {
        report(
          ['tasks', index, 'type'],
          `\`${task.type}\` cannot run inside a WorkingDirectory: only tasks that run on a worker can`,
        );
      }
      if (task.workerGroup !== undefined && task.workerGroup !== null) {
        report(
          ['tasks', index, 'workerGroup'],
          'tasks inside a WorkingDirectory cannot set `workerGroup`; set it on the WorkingDirectory',
          { atKey: true },
        );
      }
    });
  },
  examples: [
    {
      title: 'Files shared between steps',
      code: `id: working_directory_example
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    inputFiles:
      query.sql: SELECT 1
    outputFiles:
      - result.txt
    namespaceFiles:
      enabled: true
      include:
        - scripts/**
    tasks:
      - id: write
        type: io.kestra.plugin.core.storage.Write
        content: hello
        extension: .txt`,
    },
    {
      title: 'A cache kept for an hour',
      code: `- id: cached
  type: io.kestra.plugin.core.flow.WorkingDirectory
  cache:
    patterns:
      - node_modules/**
    ttl: PT1H
  tasks:
    - id: step
      type: io.kestra.plugin.core.log.Log
      message: using the cache`,
    },
  ],
});
