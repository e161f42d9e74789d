/**
 * The `sql` property of the MySQL task types, rendered by the task rather than by the engine:
 * `{{ inputFile }}` (the local path of `inputFile`) is only known when the task runs.
 */
import { p } from '../../api.js';
import type { Prop } from '../../api.js';

/** `sql`, not rendered before the task runs (the task renders it with `inputFile`). */
export const lateSql: Prop = p
  .string({ dynamic: false })
  .required()
  .describe(
    "The SQL to run (Queries: several statements separated by `;`). Rendered by the task, where `{{ inputFile }}` is the local path of `inputFile`, e.g. `LOAD DATA LOCAL INFILE '{{ inputFile }}' INTO TABLE t`.",
  );
