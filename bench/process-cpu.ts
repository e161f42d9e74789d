/** The CPU a benchmarked child process has used, for start-up timings less sensitive to a busy machine. */
import { readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) a process has used, from /proc (Linux); undefined elsewhere. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    // Fields 14 and 15 of /proc/PID/stat, after the parenthesised command name; clock ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
