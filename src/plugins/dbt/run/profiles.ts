/**
 * The `profiles` property of the dbt tasks: the text of dbt's `profiles.yml` (or a map written
 * as YAML), written where dbt finds it, with the credentials in it masked like secrets: a
 * profile's password is typed into the flow, not read through `secret()`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, stringify } from 'yaml';
import { isRecord, TaskFailure } from '../../api.js';
import type { TaskContext } from '../../api.js';
import { writeInputFiles } from '../../shared/working-files.js';

/** Keys of a profile whose values are credentials (not `token_uri` and other addresses). */
const CREDENTIAL_KEY = /pass|secret|token|private_key|api_?key|credential/i;
const ADDRESS_KEY = /_(uri|url)$/i;

/** The text of `profiles.yml` from the `profiles` property; undefined when it is not given. */
export function profilesText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (isRecord(value)) return stringify(value);
  throw new TaskFailure('Property `profiles` must be the text of a `profiles.yml`, or a map');
}

/**
 * The credentials of a profiles.yml text: the values of keys such as `password`, `token` or
 * `private_key`, at any depth (`keyfile_json.private_key`). Fails on text that is not YAML,
 * naming where, without quoting the text.
 */
export function profileCredentials(text: string): string[] {
  const lines = new LineCounter();
  // Not pretty: pretty messages quote the text, which holds the credentials.
  const document = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  const problem = document.errors[0];
  if (problem) {
    const at = lines.linePos(problem.pos[0]);
    throw new TaskFailure(
      `Property \`profiles\` is not valid YAML at line ${at.line}, column ${at.col} (${problem.code}): check its quotes, brackets and indentation`,
    );
  }
  const found: string[] = [];
  const walk = (value: unknown, secret: boolean): void => {
    if (Array.isArray(value)) for (const item of value) walk(item, secret);
    else if (isRecord(value))
      for (const [key, item] of Object.entries(value))
        walk(item, secret || (CREDENTIAL_KEY.test(key) && !ADDRESS_KEY.test(key)));
    else if (secret && (typeof value === 'string' || typeof value === 'number')) found.push(String(value));
  };
  walk(document.toJS(), false);
  return found.filter((value) => value.trim() !== '');
}

/**
 * Writes `profiles.yml` into `dir` (relative to the working directory), replacing one already
 * there as Kestra does, and masks its credentials in the task's logs and error from now on.
 * Returns the credentials, for outputs (which the log mask does not cover).
 */
export async function writeProfiles(
  ctx: TaskContext,
  workingDir: string,
  dir: string,
  text: string,
): Promise<string[]> {
  const credentials = profileCredentials(text);
  for (const value of credentials) ctx.maskSecret(value);
  const name = dir === '.' ? 'profiles.yml' : `${dir}/profiles.yml`;
  if (existsSync(join(workingDir, name)))
    ctx.logger.info(`A '${name}' file already exists in the task working directory; it will be overridden.`);
  await writeInputFiles(ctx, workingDir, { [name]: text }, 'profiles');
  return credentials;
}
