/** The memory a benchmarked server uses, counted over its whole process tree. */
import { readdirSync, readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    // Field 4 of /proc/PID/stat, after the parenthesised command name (which may hold spaces).
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  } catch {
    return undefined;
  }
}

function rssKbOf(pid: number): number {
  try {
    const line = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory in MB of a process and all its descendants (Linux /proc), so a server that
 * forks helpers is not flattered; NaN where /proc is missing.
 */
export function rssMbOfTree(root: number): number {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return NaN;
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  let kb = 0;
  const queue = [root];
  while (queue.length) {
    const pid = queue.pop()!;
    kb += rssKbOf(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return kb / 1024;
}
