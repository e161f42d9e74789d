/**
 * How a script task's commands are started and watched, whatever runs them (a local process or
 * a container): the command line, and the output read line by line into the log and the
 * `::{...}::` protocol, with a non-zero exit code failing the task.
 */
import { isRecord, TaskFailure } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { commandLine, writeScriptFile } from './commands.js';
import type { ScriptFamily } from './commands.js';
import type { ProcessResult } from './process.js';
import { ProtocolReader } from './protocol.js';

/** What a script type is: its language, whether it runs `script` or `commands`, its image. */
export interface ScriptKind {
  family: ScriptFamily;
  mode: 'script' | 'commands';
  /** The family's default `containerImage` (to tell whether one was set). */
  defaultImage: string;
}

/** A shell's report that a command does not exist: `sh: 1: foo: not found`, `bash: line 1: foo: command not found`. */
const NOT_FOUND = /(?:^|: )([^\s:]+): (?:command )?not found$/;

/** The program and arguments of the task: its `script` written to a file, or its `commands`. */
export async function scriptCommandLine(
  props: Record<string, unknown>,
  kind: ScriptKind,
  workingDir: string,
  options: {
    /** Commands run before `beforeCommands` (a container's dependency install). */
    extraBeforeCommands?: readonly string[];
    /** A task's rewrite of its commands (ScriptHooks.commands). */
    commandsHook?: ((commands: string[], workingDir: string) => string[]) | undefined;
  } = {},
): Promise<string[]> {
  const written =
    kind.mode === 'script'
      ? [await writeScriptFile(workingDir, kind.family, typeof props.script === 'string' ? props.script : '')]
      : stringList(props.commands);
  return commandLine({
    interpreter: stringList(props.interpreter),
    beforeCommands: [...(options.extraBeforeCommands ?? []), ...stringList(props.beforeCommands)],
    commands: options.commandsHook ? options.commandsHook(written, workingDir) : written,
    failFast: props.failFast !== false,
  });
}

/** What the commands sent back: protocol outputs, and whether they wrote to standard error. */
export interface ScriptRunResult {
  vars: Record<string, unknown>;
  stderrLines: number;
}

/** Starts the commands with line callbacks and answers how they ended. */
export type StartCommands = (
  onStdout: (line: string) => void,
  onStderr: (line: string) => void,
) => Promise<ProcessResult & { hint?: string }>;

/**
 * Runs the commands through `start`, logging their lines and reading `::{...}::` protocol
 * lines (or the task's own `onLine`); fails the task on a non-zero exit code. `where` ends the "not found" hint
 * (`on this worker`, `in the image …`).
 */
export async function streamOutput(
  ctx: TaskContext,
  options: {
    where: string;
    /** A task's own reading of a line that is not a protocol line; true when it logged it. */
    onLine?: ((line: string, stream: 'stdout' | 'stderr') => boolean) | undefined;
  },
  start: StartCommands,
): Promise<ScriptRunResult> {
  const { where, onLine } = options;
  const protocol = new ProtocolReader(ctx.logger);
  let stderrLines = 0;
  let missing: string | undefined;
  let result;
  try {
    result = await start(
      (line) => {
        if (!protocol.accept(line) && !onLine?.(line, 'stdout')) ctx.logger.info(line);
      },
      (line) => {
        if (protocol.accept(line) || onLine?.(line, 'stderr')) return;
        stderrLines++;
        missing = NOT_FOUND.exec(line)?.[1] ?? missing;
        ctx.logger.error(line);
      },
    );
  } catch (error) {
    // Outputs sent before the failure are kept with it.
    if (error instanceof TaskFailure)
      throw new TaskFailure(error.message, { ...error.outputs, vars: protocol.vars });
    throw error;
  }
  const { exitCode } = result;
  if (exitCode !== 0) {
    const hint =
      exitCode === 127 && missing
        ? `: \`${missing}\` was not found ${where}; install it, or change the command or \`interpreter\``
        : (result.hint ?? (result.signal ? ` (ended by ${result.signal})` : ''));
    throw new TaskFailure(`Command failed with exit code ${exitCode}${hint}`, {
      exitCode,
      vars: protocol.vars,
    });
  }
  return { vars: protocol.vars, stderrLines };
}

/** A list property as text items (a single value as a list of one). */
export function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [typeof value === 'string' ? value : JSON.stringify(value)];
}

/** A map property with its values as text. */
export function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
}
