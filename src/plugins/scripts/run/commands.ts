/**
 * The command line of a script task, as Kestra builds it (`ScriptService.scriptCommands`): the
 * `interpreter` (default `/bin/sh -c`) given one text made of `set -e` (when `failFast`), the
 * `beforeCommands` and the commands, one per line. Script types first write their `script` to
 * a file of the working directory and run it with their language's command.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskFailure } from '../../api.js';

/** The language family of a script task. */
export type ScriptFamily = 'python' | 'shell' | 'node';

export const DEFAULT_INTERPRETER: readonly string[] = ['/bin/sh', '-c'];

const EXTENSIONS: Readonly<Record<ScriptFamily, string>> = { python: 'py', shell: 'sh', node: 'js' };

/** A word the shell would pass on unchanged: no quotes, variables, globs or operators. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Shell builtins and keywords: a command starting with one needs the shell. */
const SHELL_WORDS: ReadonlySet<string> = new Set(
  (
    ': . alias bg bind break builtin caller case cd command compgen complete compopt continue coproc declare dirs ' +
    'disown do done elif else enable esac eval exec exit export fc fg fi for function getopts hash help history if ' +
    'jobs let local logout mapfile popd pushd read readarray readonly return select set shift shopt source suspend ' +
    'then time times trap type typeset ulimit umask unalias unset until wait while'
  ).split(' '),
);

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return PLAIN_WORD.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the inline script to a new file of the working directory and returns the command
 * that runs it: `python <file>`, `node <file>`, or the file itself for shell (run by the
 * interpreter's shell, or by its `#!` line).
 */
export async function writeScriptFile(
  workingDir: string,
  family: ScriptFamily,
  script: string,
): Promise<string> {
  const path = join(workingDir, `script-${randomBytes(4).toString('hex')}.${EXTENSIONS[family]}`);
  await writeFile(path, script, { mode: 0o755 });
  if (family === 'python') return `python ${shellQuote(path)}`;
  if (family === 'node') return `node ${shellQuote(path)}`;
  return shellQuote(path);
}

export interface CommandLineInput {
  interpreter: readonly string[] | undefined;
  beforeCommands: readonly string[] | undefined;
  commands: readonly string[];
  failFast: boolean;
}

/**
 * The program and arguments to start. One plain command under the default interpreter
 * (`python3 main.py`) is started directly, saving a shell per task: the shell would only
 * have looked it up on PATH and run it the same way.
 */
export function commandLine(input: CommandLineInput): string[] {
  const interpreter =
    input.interpreter && input.interpreter.length > 0 ? input.interpreter : DEFAULT_INTERPRETER;
  const before = input.beforeCommands ?? [];
  if (input.commands.length === 0 && before.length === 0)
    throw new TaskFailure('There is no command to run: give `commands` (or `script`)');
  if (sameList(interpreter, DEFAULT_INTERPRETER) && before.length === 0 && input.commands.length === 1) {
    const words = input.commands[0]!.trim().split(/ +/);
    const program = words[0]!;
    if (words.every((w) => PLAIN_WORD.test(w)) && !program.includes('=') && !SHELL_WORDS.has(program))
      return words;
  }
  const lines = [...(input.failFast ? ['set -e'] : []), ...before, ...input.commands];
  return [...interpreter, lines.join('\n')];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
