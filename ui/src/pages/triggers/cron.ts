/** Cron expressions as people read them ("At 09:00 on day 1 of the month"). */
import cronstrue from 'cronstrue';

// Kestra (like Unix cron) accepts these nicknames; cronstrue does not.
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The human reading of a cron expression, or undefined when it cannot be read. */
export function describeCron(cron: string | undefined): string | undefined {
  if (!cron) return undefined;
  const expression = NICKNAMES[cron.trim().toLowerCase()] ?? cron;
  try {
    return cronstrue.toString(expression, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return undefined;
  }
}

/** The last segment of a type name: `io.kestra.plugin.core.trigger.Schedule` → `Schedule`. */
export function shortType(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}
