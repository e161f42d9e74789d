import { defineTask, isRecord, p, TaskFailure, toText } from '../../../api.js';
import type { TaskContext } from '../../../api.js';
import { executionLabelsProp, labelList } from '../../task-props.js';
import { siblingOutputs } from './siblings.js';

/**
 * ForEachItem's `<id>_items` part. The executor starts its subflow executions; the worker only
 * resolves what they need: the inputs of each batch, rendered with `taskrun.items` (the batch
 * file) and `taskrun.iteration` (its index), as Kestra renders them.
 */
export default defineTask({
  type: 'io.kestra.plugin.core.flow.ForEachItem$ForEachItemExecutable',
  title: 'Start the subflow executions of a ForEachItem',
  description: 'Internal part of ForEachItem: one subflow execution per batch.',
  properties: {
    namespace: p.string().required(),
    flowId: p.string().required(),
    revision: p.integer({ min: 1, dynamic: false }),
    // The task's `inputs` as JSON text: rendered here per batch, not before.
    inputsTemplate: p.string({ dynamic: false }),
    labels: executionLabelsProp(),
    wait: p.boolean({ dynamic: false }).default(true),
    transmitFailed: p.boolean({ dynamic: false }).default(true),
    inheritLabels: p.boolean({ dynamic: false }).default(false),
    scheduleDate: p.string(),
    concurrencyLimit: p.integer({ min: 0, dynamic: false }).default(0),
  },
  async resolve(ctx, props) {
    const splits = siblingOutputs(ctx, '_split')?.splits;
    if (typeof splits !== 'string')
      throw new TaskFailure(
        'The batches of this ForEachItem are unknown: its `_split` task run has no output',
      );
    const uris = (await ctx.storage.readBuffer(splits))
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    const template: unknown = props.inputsTemplate ? JSON.parse(toText(props.inputsTemplate)) : {};
    const batches: Array<Record<string, unknown>> = [];
    for (let iteration = 0; iteration < uris.length; iteration++) {
      const extra = { taskrun: { items: uris[iteration], iteration } };
      const inputs = await renderDeep(ctx, template, extra);
      batches.push(isRecord(inputs) ? inputs : {});
    }
    return {
      namespace: props.namespace,
      flowId: props.flowId,
      ...(props.revision !== undefined ? { revision: props.revision } : {}),
      labels: labelList(props.labels),
      wait: props.wait !== false,
      transmitFailed: props.transmitFailed !== false,
      inheritLabels: props.inheritLabels === true,
      ...(props.scheduleDate ? { scheduleDate: props.scheduleDate } : {}),
      concurrencyLimit: Number(props.concurrencyLimit ?? 0),
      batches,
      outputsBaseUri: ctx.storage.fileUri('outputs'),
    };
  },
});

/** Renders every string of a value (Kestra renders a map of inputs leaf by leaf, to text). */
async function renderDeep(
  ctx: TaskContext,
  value: unknown,
  extra: Record<string, unknown>,
): Promise<unknown> {
  if (typeof value === 'string')
    return value.includes('{{') || value.includes('{%') ? ctx.render(value, extra) : value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => renderDeep(ctx, v, extra)));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = await renderDeep(ctx, v, extra);
    return out;
  }
  return value;
}
