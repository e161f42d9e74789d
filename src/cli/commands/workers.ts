/**
 * `windhover workers list`: the workers of a cluster as its store lists them (each process
 * heartbeats into the store), read straight from the store like `sys migrate`, so it needs no
 * running web server: id, host, pid, slots, running jobs, heartbeat age, start. `--all` shows
 * every role's members, `--json` prints them as JSON.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { MemberView } from '../../server/cluster-view.js';
import type { ClusterMember } from '../../store/contract.js';
import { out } from '../output.js';

interface ListOptions {
  storeUrl?: string;
  all?: boolean;
  json?: boolean;
}

/** Reads the members of the store a URL names, then closes it. */
async function readMembers(url: string): Promise<ClusterMember[]> {
  const { parseStoreUrl } = await import('../../server/open-store.js');
  const location = parseStoreUrl(url);
  if (location.kind === 'postgres') {
    const { openPostgresStore } = await import('../../store/postgres/index.js');
    const store = await openPostgresStore(location.url, { poolSize: 1 });
    try {
      return await store.listMembers();
    } finally {
      await store.close();
    }
  }
  // Opening a SQLite path that does not exist would create an empty store and list nobody.
  if (!existsSync(location.path))
    throw new WindhoverError(ErrorCodes.FILE_UNREADABLE, `no SQLite store at ${location.path}`);
  const { openSqliteStore } = await import('../../store/sqlite/index.js');
  const store = await openSqliteStore(location.path, { backgroundCheckpoints: false });
  try {
    return await store.listMembers();
  } finally {
    await store.close();
  }
}

/** A count a member reported in its info, or '-' (members that run no worker report none). */
function reported(member: MemberView, key: string): string {
  const value = member.info[key];
  return typeof value === 'number' ? String(value) : '-';
}

/** `2026-01-01 10:00:00` from an ISO instant (UTC, as stored). */
function shortInstant(iso: string): string {
  return `${iso.slice(0, 19).replace('T', ' ')}Z`;
}

/** The members as an aligned table, one line each, under a header. */
export function formatMembersTable(members: readonly MemberView[], withRoles: boolean): string[] {
  const header = [
    'ID',
    ...(withRoles ? ['ROLES'] : []),
    'HOST',
    'PID',
    'SLOTS',
    'RUNNING',
    'HEARTBEAT',
    'STARTED',
  ];
  const rows = members.map((m) => [
    m.id,
    ...(withRoles ? [m.roles.join(',')] : []),
    m.host,
    String(m.pid),
    reported(m, 'workerSlots'),
    reported(m, 'runningJobs'),
    `${m.secondsSinceHeartbeat.toFixed(1)}s ago`,
    shortInstant(m.startedAt),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  return [header, ...rows].map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

/** Registers `windhover workers list`. */
export function registerWorkers(program: Command): void {
  program
    .command('workers')
    .description('The processes of a cluster')
    .command('list')
    .description("List the cluster's workers as the store sees them (their heartbeats)")
    .option(
      '--store-url <url>',
      'the store: postgres://user@host:5432/db or sqlite:///path/to/windhover.db [env WINDHOVER_STORE_URL]',
    )
    .option('--all', 'every member, whatever its roles (executors, schedulers, web servers)')
    .option('--json', 'print the members as JSON')
    .action(async (options: ListOptions) => {
      const url = options.storeUrl ?? process.env.WINDHOVER_STORE_URL;
      if (!url)
        throw new WindhoverError(
          ErrorCodes.CONFIG_INVALID,
          '`workers list` needs a store: give --store-url or WINDHOVER_STORE_URL',
        );
      const members = await readMembers(url);
      const { viewOfMember } = await import('../../server/cluster-view.js');
      const now = Date.now();
      const shown = members
        .filter((member) => options.all || member.roles.includes('worker'))
        .map((member) => viewOfMember(member, now));
      if (options.json) {
        out(JSON.stringify(shown, null, 2));
        return;
      }
      if (shown.length === 0) {
        out(
          options.all ? 'No member in this cluster' : 'No worker in this cluster (see --all for other roles)',
        );
        return;
      }
      for (const line of formatMembersTable(shown, options.all === true)) out(line);
    });
}
