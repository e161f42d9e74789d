/**
 * Who a script task's processes run as. A worker running as root starts them as another user,
 * so that they cannot read what the server's user can: its environment (`/proc/<pid>/environ`),
 * the store and data folder, other tasks' working directories and processes. By default each
 * task run gets a user id of its own (SCRIPT_UIDS, no account needed); `WINDHOVER_SCRIPT_USER`
 * names one user for every script instead, or `none` to keep the worker's. A worker that is not
 * root cannot switch: its scripts run as itself. The files of a working directory go to that
 * user in ownership.ts.
 */
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute } from 'node:path';
import { TaskFailure } from '../../api.js';

/** The user and group a script's processes run as. */
export interface ScriptIdentity {
  uid: number;
  gid: number;
}

/** The user ids given to task runs by default: 2000000000 and the 2^20 after it. */
export const SCRIPT_UIDS = { first: 2_000_000_000, count: 1 << 20 } as const;

/** The setting naming who scripts run as. */
export const SCRIPT_USER_VARIABLE = 'WINDHOVER_SCRIPT_USER';

/** What `WINDHOVER_SCRIPT_USER` says. */
export type ScriptUserSetting =
  { kind: 'auto' } | { kind: 'none' } | { kind: 'user'; name: string; uid: number; gid: number };

let parsed: { raw: string | undefined; setting: ScriptUserSetting } | undefined;

/**
 * Reads `WINDHOVER_SCRIPT_USER`: unset or `auto` (a user id per task run), `none`
 * (the worker's own user), a user name of /etc/passwd, or `uid[:gid]`. Throws a TaskFailure
 * naming the setting when it names no user.
 */
export function scriptUserSetting(
  raw: string | undefined = process.env[SCRIPT_USER_VARIABLE],
): ScriptUserSetting {
  if (parsed && parsed.raw === raw) return parsed.setting;
  const setting = parseScriptUser(raw);
  parsed = { raw, setting };
  return setting;
}

function parseScriptUser(raw: string | undefined): ScriptUserSetting {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'auto') return { kind: 'auto' };
  if (value === 'none') return { kind: 'none' };
  const ids = /^(\d+)(?::(\d+))?$/.exec(value);
  if (ids) {
    const uid = Number(ids[1]);
    return { kind: 'user', name: value, uid, gid: ids[2] === undefined ? uid : Number(ids[2]) };
  }
  const account = passwdEntry(value);
  if (!account)
    throw new TaskFailure(
      `${SCRIPT_USER_VARIABLE}=${value}: there is no such user on this worker (/etc/passwd); give a user name, \`uid:gid\`, \`auto\` or \`none\``,
    );
  return { kind: 'user', name: value, ...account };
}

/** The ids of a user of /etc/passwd (`name:x:uid:gid:…`). */
function passwdEntry(name: string): { uid: number; gid: number } | undefined {
  let text: string;
  try {
    text = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 4) return { uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  return undefined;
}

/** The worker's own user id; undefined where there is none (Windows). */
function workerUid(): number | undefined {
  return process.getuid?.();
}

/**
 * The user a script runs as; undefined when it runs as the worker. Fails when the setting cannot
 * be honoured or the user cannot pass through the folders above the working directory.
 */
export async function scriptIdentity(workingDir: string): Promise<ScriptIdentity | undefined> {
  const setting = scriptUserSetting();
  if (setting.kind === 'none') return undefined;
  const own = workerUid();
  if (own !== 0) {
    if (setting.kind === 'user' && setting.uid !== own)
      throw new TaskFailure(
        `${SCRIPT_USER_VARIABLE}=${setting.name}: this worker runs as user ${own ?? '?'} and cannot start processes as another user; run the worker as root, or unset ${SCRIPT_USER_VARIABLE}`,
      );
    return undefined;
  }
  if (setting.kind === 'auto' && !scriptUidsMapped())
    throw new TaskFailure(
      `Scripts run as users of their own (user ids ${SCRIPT_UIDS.first} to ${SCRIPT_UIDS.first + SCRIPT_UIDS.count - 1}), which this worker's user namespace does not map (/proc/self/uid_map, as in a rootless container): set ${SCRIPT_USER_VARIABLE} to a user it maps (such as \`nobody\`), or to \`none\``,
    );
  if (!hardLinksProtected())
    throw new TaskFailure(
      `fs.protected_hardlinks is off on this worker: a script running as another user could hard-link any file of the machine into its directory, for the worker (root) to hand over or copy; turn it on (\`sysctl fs.protected_hardlinks=1\`), or set ${SCRIPT_USER_VARIABLE}=none`,
    );
  const uid = SCRIPT_UIDS.first + randomInt(SCRIPT_UIDS.count);
  const identity = setting.kind === 'user' ? { uid: setting.uid, gid: setting.gid } : { uid, gid: uid };
  const parent = dirname(workingDir);
  if (!(await canReach(parent, identity))) {
    const closed = (await closedFolder(parent, identity).catch(() => undefined)) ?? parent;
    throw new TaskFailure(
      `Scripts run as user ${identity.uid} (${SCRIPT_USER_VARIABLE}), and the folder ${closed} on the way to the working directory is closed to that user: let others through it (\`chmod o+x ${closed}\`), put the data folder elsewhere, or set ${SCRIPT_USER_VARIABLE}=none`,
    );
  }
  return identity;
}

let protectedLinks: boolean | undefined;

/**
 * Whether Linux refuses hard links to files a user neither owns nor may read and write
 * (fs.protected_hardlinks, on by default): the worker's walks of a working directory rely on it.
 * True where it cannot tell (not Linux).
 */
function hardLinksProtected(): boolean {
  if (protectedLinks !== undefined) return protectedLinks;
  try {
    protectedLinks = readFileSync('/proc/sys/fs/protected_hardlinks', 'utf8').trim() !== '0';
  } catch {
    protectedLinks = true;
  }
  return protectedLinks;
}

let mapped: boolean | undefined;

/**
 * Whether this process's user namespace maps the ids of SCRIPT_UIDS (the whole 32-bit range on a
 * machine or an ordinary container; 65536 ids in a rootless one). True when it cannot tell.
 */
function scriptUidsMapped(): boolean {
  if (mapped !== undefined) return mapped;
  let text: string;
  try {
    text = readFileSync('/proc/self/uid_map', 'utf8');
  } catch {
    return (mapped = true);
  }
  const last = SCRIPT_UIDS.first + SCRIPT_UIDS.count - 1;
  mapped = text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .some(
      ([inside, , count]) =>
        inside !== undefined && count !== undefined && inside <= SCRIPT_UIDS.first && last < inside + count,
    );
  return mapped;
}

/** Whether a user id is one of those given to task runs. */
function isScriptUid(uid: number): boolean {
  return uid >= SCRIPT_UIDS.first && uid < SCRIPT_UIDS.first + SCRIPT_UIDS.count;
}

/** The first folder of `dir` and its parents the user may not pass through; undefined when all let it. */
export async function closedFolder(dir: string, identity: ScriptIdentity): Promise<string | undefined> {
  for (let folder = dir; ; folder = dirname(folder)) {
    const info = await stat(folder);
    const searchBit = info.uid === identity.uid ? 0o100 : info.gid === identity.gid ? 0o010 : 0o001;
    if ((info.mode & searchBit) === 0) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/** Whether folders let a user through, by folder and user, for a few seconds (a PATH is checked per task). */
const reachCache = new Map<string, { open: boolean; at: number }>();
const REACH_CACHE_MS = 5000;

/** Whether a user may pass through a folder and its parents; false when it does not exist. */
export async function canReach(folder: string, identity: ScriptIdentity): Promise<boolean> {
  // Every user id given to task runs is "other" to the folders of the machine.
  const who = isScriptUid(identity.uid) ? 'script' : `${identity.uid}:${identity.gid}`;
  const key = `${who}\0${folder}`;
  const now = Date.now();
  const cached = reachCache.get(key);
  if (cached && now - cached.at < REACH_CACHE_MS) return cached.open;
  const open = await closedFolder(folder, identity).then(
    (closed) => closed === undefined,
    () => false,
  );
  if (reachCache.size > 1024) reachCache.clear();
  reachCache.set(key, { open, at: now });
  return open;
}

/**
 * A `PATH` without the folders the user cannot reach (tools installed in root's home, such as
 * pyenv's shims): the shell would fail on them with "Permission denied" instead of finding the
 * program further on, and `python` must be looked up where the script can run it.
 */
export async function reachablePath(
  pathValue: string | undefined,
  identity: ScriptIdentity,
): Promise<string | undefined> {
  if (pathValue === undefined) return undefined;
  const kept: string[] = [];
  for (const folder of pathValue.split(delimiter)) {
    if (folder !== '' && isAbsolute(folder) && (await canReach(folder, identity))) kept.push(folder);
  }
  return kept.join(delimiter);
}
