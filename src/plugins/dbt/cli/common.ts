/**
 * What the dbt CLI tasks share: their images, the `profiles` and `parseRunResults`
 * properties, and the outputs they add to the script tasks' ones.
 */
import { p } from '../../api.js';
import type { OutputDoc, Prop } from '../../api.js';

/** Kestra's dbt images (used by container task runners only). */
export const DBT_IMAGES = {
  CORE: 'ghcr.io/kestra-io/dbt',
  FUSION: 'ghcr.io/kestra-io/dbt-fusion',
} as const;

/** `profiles` and `parseRunResults`, as every dbt CLI task has them. */
export const dbtCommonProps: Record<string, Prop> = {
  profiles: p
    .union(p.string(), p.map(p.any()))
    .describe(
      "The content of dbt's `profiles.yml` (text, or a map written as YAML), replacing any such file in the working directory. Its credentials (`password`, `token`, `private_key`…) are masked in logs like secrets.",
    ),
  parseRunResults: p
    .boolean()
    .default(true)
    .describe(
      'Read `target/run_results.json` after the commands: one log line per node and the `runResults` output.',
    ),
};

/** What the dbt CLI tasks add to the outputs of script tasks. */
export const DBT_OUTPUTS: Record<string, OutputDoc> = {
  outputFiles: {
    type: 'object',
    description:
      'The files matched by `outputFiles`, and `manifest.json` and `run_results.json` from `target/` when dbt wrote them, by name, as `kestra://` URIs.',
  },
  runResults: {
    type: 'array',
    description:
      'One entry per node of `target/run_results.json` (Windhover; Kestra shows them as child task runs): `uniqueId`, `status` (`success`, `error`, `skipped`, `pass`, `fail`, `warn`…), `executionTime` (seconds), `rowsAffected`, `failures` and `message` when dbt gives them.',
  },
};
