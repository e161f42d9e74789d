import { p } from '../api.js';
import type { Prop } from '../api.js';

/** Kestra's `FetchType`: what a query task does with result rows. */
export const FETCH_TYPES = ['NONE', 'FETCH_ONE', 'FETCH', 'STORE'] as const;

/** `fetchType` and the deprecated boolean flags it replaced, shared by JDBC and BigQuery queries. */
export function fetchProps(): Record<string, Prop> {
  const flag = (type: string) =>
    p
      .boolean({ dynamic: false })
      .default(false)
      .deprecated(`use \`fetchType: ${type}\` instead`)
      .describe(`Deprecated: \`fetchType: ${type}\`.`);
  return {
    fetchType: p
      .enum(FETCH_TYPES)
      .default('NONE')
      .describe(
        'What to do with result rows: `NONE` nothing, `FETCH_ONE` the first row as output `row`, `FETCH` all rows as output `rows`, `STORE` all rows to an internal-storage file (output `uri`).',
      ),
    fetch: flag('FETCH'),
    fetchOne: flag('FETCH_ONE'),
    store: flag('STORE'),
  };
}
