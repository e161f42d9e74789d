import { z } from 'zod';
import { p, Prop } from './prop.js';
import { retryProp, TASK_ID_EXPECTS, TASK_ID_PATTERN } from './common.js';
import { inputProp, INPUT_ID_PATTERN, OUTPUT_TYPES } from '../inputs/schema.js';

/** Flow ids: `^[a-zA-Z0-9][a-zA-Z0-9._-]*`, at most 100 characters. */
export const FLOW_ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
export const FLOW_ID_MAX_LENGTH = 100;
/** Namespaces: `^[a-z0-9][a-z0-9._-]*`, at most 150 characters; dots form a hierarchy. */
export const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const NAMESPACE_MAX_LENGTH = 150;

const labelValue = z.union([z.string(), z.number(), z.boolean()]);

/** Labels: a map `key: value`, or a list of `{key, value}`. */
export const labelsProp = new Prop(
  z.union([
    z.record(z.string(), labelValue),
    z.array(z.strictObject({ key: z.string(), value: labelValue })),
  ]),
  {
    kind: 'any',
    expects: 'a map of `key: value`, or a list of `{key, value}`',
    dynamic: false,
    required: false,
  },
).describe('Labels copied onto every execution of the flow. Keys starting with `system.` are reserved.');

export const pluginDefaultProp = p.object({
  type: p
    .string({ dynamic: false })
    .required()
    .describe('A plugin type, or a prefix of types (`io.kestra.plugin.jdbc`).'),
  forced: p.boolean({ dynamic: false }).default(false).describe("Override the plugin's own values."),
  values: p
    .map(p.any(), { dynamic: false })
    .required()
    .describe('Property values given to matching plugins.'),
});

export const concurrencyProp = p
  .object({
    limit: p.integer({ min: 1, dynamic: false }).required().describe('How many executions may run at once.'),
    behavior: p
      .enum(['QUEUE', 'CANCEL', 'FAIL', 'FAIL_AFTER_N_RETRIES'], { dynamic: false })
      .default('QUEUE')
      .describe('What happens to an execution over the limit.'),
    maxRetries: p
      .integer({ min: 1, dynamic: false })
      .default(3)
      .describe('FAIL_AFTER_N_RETRIES: how many times admission is retried before the execution fails.'),
    retryInterval: p
      .duration({ dynamic: false })
      .default('PT30S')
      .describe('FAIL_AFTER_N_RETRIES: time between admission retries.'),
  })
  .describe('Limit on concurrent executions of this flow (RUNNING and PAUSED count).');

export const flowOutputProp = p.object({
  id: p.string({ pattern: INPUT_ID_PATTERN, dynamic: false }).required(),
  type: p.enum(OUTPUT_TYPES, { dynamic: false }).required(),
  value: p.any().required().describe('An expression, usually reading task outputs.'),
  description: p.string({ dynamic: false }),
  displayName: p.string({ dynamic: false }),
  required: p.boolean({ dynamic: false }),
});

/** The properties of a flow (KESTRA-REFERENCE.md "Flow"). */
export const FLOW_SHAPE: Record<string, Prop> = {
  id: p
    .string({
      pattern: FLOW_ID_PATTERN,
      maxLength: FLOW_ID_MAX_LENGTH,
      dynamic: false,
      expects: 'an id made of letters, digits, `.`, `_` and `-`, starting with a letter or digit',
    })
    .required()
    .describe('The flow id, unique in its namespace.'),
  namespace: p
    .string({
      pattern: NAMESPACE_PATTERN,
      maxLength: NAMESPACE_MAX_LENGTH,
      dynamic: false,
      expects: 'made of lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit',
    })
    .required()
    .describe('The namespace; dots form a hierarchy (`company.team`).'),
  revision: p
    .integer({ min: 1, dynamic: false })
    .describe('Managed by the server: each saved change adds one.'),
  description: p.string({ dynamic: false }).describe('What the flow does (markdown).'),
  labels: labelsProp,
  inputs: p
    .list(inputProp, { dynamic: false })
    .expects('a list of inputs')
    .describe('Values given when an execution starts.'),
  variables: p
    .map(p.any(), { dynamic: false })
    .describe('Values read as `vars.<name>`, kept unrendered until read.'),
  tasks: p
    .tasks()
    .required()
    .describe('The tasks, run in order (or as a DAG when they declare `dependsOn`).'),
  errors: p.tasks().describe('Tasks run when the execution fails.'),
  finally: p.tasks().describe('Tasks always run at the end, before the final state is known.'),
  afterExecution: p.tasks().describe('Tasks run after the final state is known (`execution.state`).'),
  triggers: p.pluginList('trigger').describe('What starts executions automatically.'),
  pluginDefaults: p
    .list(pluginDefaultProp, { dynamic: false })
    .describe('Default property values for plugins by type or type prefix.'),
  taskDefaults: p.list(pluginDefaultProp, { dynamic: false }).deprecated('pluginDefaults'),
  concurrency: concurrencyProp,
  outputs: p.list(flowOutputProp, { dynamic: false }).describe('Values the execution exposes when it ends.'),
  retry: retryProp,
  disabled: p
    .boolean({ dynamic: false })
    .default(false)
    .describe('A disabled flow cannot run and its triggers stop.'),
  sla: p
    .list(p.map(p.any(), { dynamic: false }), { dynamic: false })
    .describe('Service-level agreements (accepted; not enforced yet).'),
  deleted: p.boolean({ dynamic: false }).describe('Set by the server on deleted revisions.'),
  tenantId: p
    .string({ dynamic: false })
    .describe('Accepted for compatibility; Windhover has one tenant, `main`.'),
};

export { TASK_ID_PATTERN, TASK_ID_EXPECTS };
