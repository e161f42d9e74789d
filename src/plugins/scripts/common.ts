/**
 * What the script task types share (Kestra's `AbstractExecScript`): the environment, the files
 * going in and out, the task runner and its deprecated predecessors, the outputs, and the
 * checks across those properties. Not a plugin: each script type spreads these.
 */
import { p } from '../api.js';
import type { OutputDoc, Prop, ReportFn } from '../api.js';
import { dockerCommonProps } from './runner/Docker.js';
import { checkInputFilesText } from '../shared/working-files.js';

/** The default container image of each script family (used by container runners only). */
export const DEFAULT_IMAGES = {
  python: 'python:3.13-slim',
  shell: 'ubuntu',
  node: 'node',
} as const;

const namespaceFilesProp = p
  .object({
    enabled: p.boolean().default(true).describe('Load namespace files; true as soon as the map is given.'),
    include: p.list(p.string()).describe('Glob patterns of the files to load; all when not set.'),
    exclude: p.list(p.string()).describe('Glob patterns of files not to load.'),
    namespaces: p
      .list(p.string())
      .describe("Namespaces to load files from, in order (later ones win); the flow's namespace by default."),
    ifExists: p
      .enum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE'])
      .default('OVERWRITE')
      .describe('What to do when a file is already in the working directory.'),
    folderPerNamespace: p
      .boolean()
      .default(false)
      .describe('Put the files of each namespace in a folder named after it.'),
  })
  .describe("Copy files stored in the flow's namespace into the working directory.");

/** The properties of every script task; `defaultImage` is the family's `containerImage` default. */
export function scriptProps(defaultImage: string): Record<string, Prop> {
  return {
    beforeCommands: p
      .list(p.string())
      .describe('Commands run before the main ones, e.g. `pip install -r requirements.txt`.'),
    env: p.map(p.string()).describe('Environment variables for the process, as a map of strings.'),
    interpreter: p
      .list(p.string())
      .default(['/bin/sh', '-c'])
      .describe('The interpreter the commands are given to.'),
    inputFiles: p
      .union(p.map(p.string()), p.string())
      .describe(
        'Files to create in the working directory: a map of file name to content (or to a `kestra://` URI to copy), or that map as JSON or an expression.',
      ),
    outputFiles: p
      .list(p.string())
      .describe(
        "Glob patterns of files of the working directory to keep; each is read as `outputs.<id>.outputFiles['name']`.",
      ),
    namespaceFiles: namespaceFilesProp,
    containerImage: p
      .string()
      .default(defaultImage)
      .describe(
        'The image the commands run in with the Docker task runner; ignored by the `Process` runner, which Windhover uses when no `taskRunner` is set.',
      ),
    taskRunner: p
      .plugin('runner')
      .describe(
        "Where the commands run: `io.kestra.plugin.core.runner.Process` (a local process) or `io.kestra.plugin.scripts.runner.docker.Docker` (a container of `containerImage`, on a Docker engine on the worker's machine). Kestra uses Docker when not set; Windhover runs a local process and says so in the log.",
      ),
    warningOnStdErr: p
      .boolean()
      .describe(
        'Deprecated in Kestra 0.23, where the exit code alone decides the state. Set to `true` to end in WARNING when the commands write to standard error and exit with 0 (standard error lines are logged at ERROR either way).',
      ),
    failFast: p
      .boolean()
      .default(true)
      .describe('Stop at the first command that fails (`set -e`); otherwise the last command decides.'),
    targetOS: p
      .enum(['LINUX', 'WINDOWS', 'AUTO'])
      .default('AUTO')
      .describe('The operating system the commands are written for.'),
    docker: p
      .object({
        ...dockerCommonProps,
        image: p.string().describe('The image; `containerImage` when not set.'),
        configPath: p.string().describe('Path of a Docker `config.json`; give this or `config`.'),
      })
      .deprecated('taskRunner')
      .describe(
        'Docker options; use a `taskRunner` of type `io.kestra.plugin.scripts.runner.docker.Docker`.',
      ),
    runner: p
      .enum(['PROCESS', 'DOCKER'], { dynamic: false })
      .deprecated('taskRunner')
      .describe('`PROCESS` or `DOCKER`; used only when `taskRunner` is not set.'),
    outputDirectory: p
      .boolean()
      .deprecated('outputFiles')
      .describe('Collect every file written to `{{ outputDir }}`.'),
  };
}

/** What every script task returns. */
export const SCRIPT_OUTPUTS: Record<string, OutputDoc> = {
  vars: {
    type: 'object',
    description:
      'Values the script printed as `::{"outputs": {...}}::` (or sent with `Kestra.outputs(...)` in Python).',
  },
  exitCode: { type: 'integer', description: 'The exit code of the last command; 0 on success.' },
  outputFiles: {
    type: 'object',
    description: 'The files matched by `outputFiles`, by name, as `kestra://` URIs.',
  },
};

/** Checks across the shared script properties. */
export function checkScriptProps(props: Record<string, unknown>, report: ReportFn): void {
  checkInputFilesText(props.inputFiles, report);
  if (props.taskRunner != null) {
    for (const key of ['runner', 'docker']) {
      if (props[key] == null) continue;
      report([key], `\`${key}\` is ignored when \`taskRunner\` is set`, { severity: 'warning', atKey: true });
    }
  }
}

/** Reports an empty list of commands. */
export function checkCommands(props: Record<string, unknown>, report: ReportFn): void {
  if (Array.isArray(props.commands) && props.commands.length === 0) {
    report(['commands'], '`commands` is empty: the task would run nothing');
  }
}

/** Reports an empty inline script. */
export function checkScript(props: Record<string, unknown>, report: ReportFn): void {
  if (typeof props.script === 'string' && props.script.trim() === '') {
    report(['script'], '`script` is empty: the task would run nothing');
  }
}
