/**
 * What a failed `git` command means, from its error output (run under `LC_ALL=C`, so in
 * English): a stable code and a message a user can act on. The output has already been
 * scrubbed of credentials by the caller.
 */
import { ErrorCodes, TaskFailure } from '../api.js';

export type GitErrorCode =
  | typeof ErrorCodes.GIT_UNREACHABLE
  | typeof ErrorCodes.GIT_AUTH_FAILED
  | typeof ErrorCodes.GIT_REPOSITORY_NOT_FOUND
  | typeof ErrorCodes.GIT_REF_NOT_FOUND
  | typeof ErrorCodes.GIT_PUSH_REJECTED
  | typeof ErrorCodes.GIT_FAILED;

/** A task failure whose message starts with its stable code (`WH_GIT_AUTH_FAILED: …`). */
export function gitFailure(code: GitErrorCode, message: string): TaskFailure {
  return new TaskFailure(`${code}: ${message}`);
}

/** Patterns of git's and ssh's messages, checked in order: the first match decides. */
const CLASSES: ReadonlyArray<{ code: GitErrorCode; pattern: RegExp; advice: string }> = [
  {
    code: ErrorCodes.GIT_FAILED,
    pattern: /cannot run ssh|ssh: (command )?not found/i,
    advice: 'SSH remotes need an ssh client on the worker (e.g. `apt-get install openssh-client`)',
  },
  {
    code: ErrorCodes.GIT_AUTH_FAILED,
    pattern:
      /Authentication failed|could not read (Username|Password)|terminal prompts disabled|Permission denied \(|HTTP Basic: Access denied|returned error: 40[13]\b|Invalid username or password|incorrect passphrase|bad passphrase|Load key .*: (invalid format|incorrect passphrase|error in libcrypto)/i,
    advice:
      'check `username` and `password` (a token works as the password) or `privateKey` and `passphrase`',
  },
  {
    code: ErrorCodes.GIT_REF_NOT_FOUND,
    pattern:
      /Remote branch .* not found|couldn't find remote ref|not our ref|did not match any|unknown revision|reference is not a tree|invalid reference|upload-pack: not our ref/i,
    advice: 'check `branch` (a branch or tag of the repository) and `commit`',
  },
  {
    code: ErrorCodes.GIT_PUSH_REJECTED,
    pattern:
      /\[rejected\]|\[remote rejected\]|failed to push some refs|non-fast-forward|pre-receive hook declined/i,
    advice:
      'the remote refused the commit (the branch moved on, or it is protected): run the task again, or push to another `branch`',
  },
  {
    code: ErrorCodes.GIT_REPOSITORY_NOT_FOUND,
    pattern:
      /repository '.*' not found|does not appear to be a git repository|not a git repository|repository not exported|No such file or directory|returned error: 404\b|Repository not found|project you were looking for could not be found/i,
    advice: 'check the path of `url`',
  },
  {
    code: ErrorCodes.GIT_UNREACHABLE,
    pattern:
      /Could not resolve host|Connection refused|unable to connect|Failed to connect|Connection timed out|timed out|Network is unreachable|No route to host|Could not read from remote repository|unable to access|Connection reset|Connection closed|early EOF|the remote end hung up/i,
    advice: 'is the server running, and are the host and port of `url` right?',
  },
];

/**
 * The failure of a git command: `what` says what was being done (`Cloning http://host/repo`),
 * `output` is git's scrubbed error output.
 */
export function classifyGitError(what: string, output: string): TaskFailure {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) => line !== '' && !/^(Cloning into|remote: (Counting|Compressing|Enumerating|Total))/.test(line),
    );
  const detail = lines.slice(-6).join(' / ') || 'git gave no reason';
  const found = CLASSES.find((c) => c.pattern.test(output));
  if (!found) return gitFailure(ErrorCodes.GIT_FAILED, `${what} failed: ${detail}`);
  return gitFailure(found.code, `${what} failed: ${detail}; ${found.advice}`);
}
