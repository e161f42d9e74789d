/**
 * How every script task runs (Kestra's `AbstractExecScript`): files in; then one process in
 * its own group (the Process task runner: as the script user of identity.ts, with the
 * allow-listed environment of environment.ts) or a container (the Docker runner,
 * docker-script.ts); output streamed to the log with `::{...}::` lines read as outputs, metrics
 * and logs (execute.ts); files out. Each script type's `run` is `scriptRun(kind)`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TaskFailure } from '../../api.js';
import type { TaskContext, TaskOutcome, TaskRunFunction } from '../../api.js';
import {
  collectOutputFiles,
  namespaceFilesOptions,
  parseInputFiles,
  writeInputFiles,
  writeNamespaceFiles,
} from '../../shared/working-files.js';
import { installPythonDependencies } from './dependencies.js';
import { runInDocker } from './docker-script.js';
import {
  kestraModuleCopy,
  kestraPythonDir,
  prependPath,
  processEnvironment,
  pythonShimDir,
} from './environment.js';
import { scriptCommandLine, streamOutput, stringList, stringMap } from './execute.js';
import type { ScriptKind, ScriptRunResult } from './execute.js';
import { canReach, reachablePath, SCRIPT_USER_VARIABLE, scriptIdentity } from './identity.js';
import type { ScriptIdentity } from './identity.js';
import { handOver, reclaim, takeBack } from './ownership.js';
import { runProcess, SpawnError } from './process.js';
import { chooseRunner } from './runner.js';

export type { ScriptKind } from './execute.js';

/**
 * What a task built on the script machinery adds around its process (DbtCLI): files before it
 * starts, flags on its commands, its own reading of output lines, and a look at what it left.
 */
export interface ScriptHooks {
  /** Variables for the process, under the task's `env` (which wins). */
  env?: Readonly<Record<string, string>>;
  /** Runs once namespace and input files are in the working directory, before the process. */
  prepare?: (workingDir: string) => Promise<void>;
  /** The commands to run, from the rendered `commands` (files are in the working directory). */
  commands?: (commands: string[], workingDir: string) => string[];
  /** Reads a line of output that is not a protocol line; true when it was logged. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => boolean;
  /**
   * Runs when the process has ended, successfully or not (not when the task was killed); what
   * it returns joins the task's outputs, or its error.
   */
  afterRun?: (workingDir: string) => Promise<AfterRun>;
}

/** What a task's `afterRun` found. */
export interface AfterRun {
  outputs?: Record<string, unknown>;
  /** Files stored by the hook, added to `outputFiles`. */
  outputFiles?: Record<string, string>;
  /** Ends a successful run in WARNING. */
  warning?: boolean;
  /** Why a failed run failed, appended to the exit code's message. */
  failureDetail?: string;
}

/** The folder of the working directory given as `OUTPUT_DIR`; its files are kept as output files. */
export const OUTPUT_DIR_NAME = '_output';

/** The `run` of a script type. */
export function scriptRun(kind: ScriptKind): TaskRunFunction {
  return (ctx, props) => runScript(ctx, props, kind);
}

/** Runs a script task to its outcome; a non-zero exit code fails it with `exitCode` kept. */
export async function runScript(
  ctx: TaskContext,
  props: Record<string, unknown>,
  kind: ScriptKind,
  hooks: ScriptHooks = {},
): Promise<TaskOutcome> {
  const runner = await chooseRunner(ctx, props, kind.defaultImage);
  const workingDir = await ctx.workingDirectory();
  // A container is the script's sandbox: only a local process runs as a user of its own.
  const user = runner.kind === 'process' ? await scriptIdentity(workingDir) : undefined;
  if (user) reclaim(workingDir);
  // Namespace files first: inputFiles of the same name win.
  await writeNamespaceFiles(ctx, workingDir, namespaceFilesOptions(props.namespaceFiles));
  await writeInputFiles(ctx, workingDir, parseInputFiles(props.inputFiles));
  const outputDir = join(workingDir, OUTPUT_DIR_NAME);
  await mkdir(outputDir, { recursive: true });

  let outcome: ScriptRunResult;
  try {
    outcome =
      runner.kind === 'docker'
        ? await runInDocker(ctx, props, { kind, runner, workingDir, outputDir, hooks })
        : await runLocally(ctx, props, { kind, workingDir, outputDir, user, hooks });
  } catch (error) {
    if (!hooks.afterRun || !(error instanceof TaskFailure) || ctx.signal.aborted) throw error;
    const after = await hooks.afterRun(workingDir);
    const message = after.failureDetail ? `${error.message}: ${after.failureDetail}` : error.message;
    throw new TaskFailure(message, {
      ...error.outputs,
      ...after.outputs,
      ...(after.outputFiles ? { outputFiles: after.outputFiles } : {}),
    });
  }
  const after = hooks.afterRun ? await hooks.afterRun(workingDir) : {};
  const outputFiles = {
    ...(await collectOutputFiles(ctx, workingDir, stringList(props.outputFiles))),
    ...(await collectOutputDir(ctx, outputDir)),
    ...after.outputFiles,
  };
  const hasOutputFiles = Object.keys(outputFiles).length > 0 || stringList(props.outputFiles).length > 0;
  // Kestra 0.23 dropped the WARNING for standard error; `warningOnStdErr: true` keeps it.
  const warning = after.warning === true || (props.warningOnStdErr === true && outcome.stderrLines > 0);
  return {
    outputs: {
      exitCode: 0,
      vars: outcome.vars,
      ...after.outputs,
      ...(hasOutputFiles ? { outputFiles } : {}),
    },
    ...(warning ? { state: 'WARNING' as const } : {}),
  };
}

/** Runs the commands as a local process of the worker (the Process task runner). */
async function runLocally(
  ctx: TaskContext,
  props: Record<string, unknown>,
  at: {
    kind: ScriptKind;
    workingDir: string;
    outputDir: string;
    user: ScriptIdentity | undefined;
    hooks: ScriptHooks;
  },
): Promise<ScriptRunResult> {
  const { kind, workingDir, outputDir, user, hooks } = at;
  const workRoot = dirname(workingDir);
  const env = processEnvironment({
    env: { ...hooks.env, ...stringMap(props.env) },
    contextEnv: ctx.env,
    workingDir,
    outputDir,
    otherUser: user !== undefined,
  });
  if (user) env.PATH = await reachablePath(env.PATH, user);
  let temporaryDir: string | undefined;
  try {
    if (kind.family === 'python') {
      const shim = await pythonShimDir(workRoot, env.PATH);
      if (shim) env.PATH = prependPath([shim], env.PATH);
      const pythonPath: string[] = [];
      const dependencies = stringList(props.dependencies);
      if (dependencies.length > 0) {
        const installed = await installPythonDependencies(ctx, {
          dependencies,
          cache: props.dependencyCacheEnabled !== false,
          workRoot,
          env,
          user,
        });
        pythonPath.push(installed.dir);
        if (installed.temporary) temporaryDir = installed.dir;
      }
      const kestraDir = kestraPythonDir();
      if (kestraDir)
        pythonPath.push(
          user && !(await canReach(kestraDir, user))
            ? await kestraModuleCopy(workRoot, kestraDir)
            : kestraDir,
        );
      env.PYTHONPATH = prependPath(pythonPath, env.PYTHONPATH);
    }

    const argv = await scriptCommandLine(props, kind, workingDir, { commandsHook: hooks.commands });
    await hooks.prepare?.(workingDir);
    if (user) handOver(workingDir, user);
    return await streamOutput(
      ctx,
      { where: 'on this worker', onLine: hooks.onLine },
      async (onStdout, onStderr) => {
        try {
          return await runProcess({
            argv,
            cwd: workingDir,
            env,
            user,
            signal: ctx.signal,
            onStdout,
            onStderr,
          });
        } catch (error) {
          if (!(error instanceof SpawnError)) throw error;
          const what =
            error.code === 'ENOENT'
              ? 'was not found on this worker: install it, or change the command or `interpreter`'
              : user && error.code === 'EACCES'
                ? `cannot be run by the script's user ${user.uid} (EACCES): install it where every user can run it, or set ${SCRIPT_USER_VARIABLE}`
                : `could not be started (${error.code}): install it, or change the command or \`interpreter\``;
          throw new TaskFailure(`\`${error.program}\` ${what}`, { exitCode: 127 });
        }
      },
    ).finally(() => {
      // Before the worker reads output files there, or the next task of a WorkingDirectory runs.
      if (user) takeBack(workingDir, { files: false });
    });
  } finally {
    if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
  }
}

/** Files written to `OUTPUT_DIR`, kept as output files by their path in it. */
async function collectOutputDir(ctx: TaskContext, outputDir: string): Promise<Record<string, string>> {
  return collectOutputFiles(ctx, outputDir, ['**'], { quiet: true });
}
