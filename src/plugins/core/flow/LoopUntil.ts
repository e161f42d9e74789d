import { defineTask, p, parseIsoDuration } from '../../api.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.LoopUntil',
  legacyNames: ['io.kestra.plugin.core.flow.WaitFor'],
  title: 'Repeat tasks until a condition holds',
  description:
    'Runs its tasks, then renders `condition` with their outputs; while it is falsy, waits `checkFrequency.interval` and runs them again. It stops after `maxIterations` iterations or once `maxDuration` has passed (checked before the condition, as Kestra does; with `failOnMaxReached` it then fails). The current iteration is `{{ outputs.<id>.iterationCount }}`, from 1.',
  flowable: true,
  properties: {
    condition: p
      .string()
      .required()
      .deferred()
      .describe(
        "An expression rendered after each iteration, with that iteration's outputs; the loop stops when it renders truthy.",
      ),
    tasks: p.tasks().required().describe('The tasks run at each iteration.'),
    checkFrequency: p
      .object({
        maxIterations: p.integer({ min: 1 }).describe('Most iterations; no limit when absent.'),
        maxDuration: p.duration().describe('Longest time the loop may run; no limit when absent.'),
        interval: p.duration().default('PT1M').describe('Time between two iterations.'),
      })
      .describe('How often to iterate and when to give up.'),
    failOnMaxReached: p
      .boolean()
      .default(false)
      .describe('Fail the task when `maxIterations` or `maxDuration` is reached before the condition holds.'),
  },
  outputs: {
    iterationCount: { type: 'integer', description: 'Number of the current (then last) iteration, from 1.' },
  },
  resolve(_ctx, props) {
    const check = (props.checkFrequency ?? {}) as {
      maxIterations?: number;
      maxDuration?: string;
      interval?: string;
    };
    const ms = (d: string | undefined) => (d === undefined ? undefined : parseIsoDuration(d));
    return {
      checkFrequency: {
        ...(check.maxIterations !== undefined ? { maxIterations: check.maxIterations } : {}),
        ...(check.maxDuration !== undefined ? { maxDuration: ms(check.maxDuration) } : {}),
        interval: ms(check.interval) ?? 60_000,
      },
      failOnMaxReached: props.failOnMaxReached === true,
    };
  },
  examples: [
    {
      title: 'Loop until a value is reached',
      code: `id: loop_until_example
namespace: company.team
tasks:
  - id: loop
    type: io.kestra.plugin.core.flow.LoopUntil
    condition: "{{ outputs.count.value == '4' }}"
    checkFrequency:
      interval: PT1S
      maxIterations: 10
    failOnMaxReached: true
    tasks:
      - id: count
        type: io.kestra.plugin.core.debug.Return
        format: "{{ outputs.loop.iterationCount }}"`,
    },
  ],
});
