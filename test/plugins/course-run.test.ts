/**
 * The course notes' flows that need nothing but Python run on Windhover as written (the others
 * name GCP, PostgreSQL at `localhost:5432/mydb` or pandas, which are not reachable here).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, statesOf } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const fixture = (path: string) => readFileSync(`test/fixtures/${path}`, 'utf8');

/** The INFO lines a task printed. */
async function printed(executionId: string, taskId: string): Promise<string[]> {
  return (await rt.store.getLogs(executionId))
    .filter((l) => l.taskId === taskId && l.level === 'INFO')
    .map((l) => l.message);
}

describe('course flows run as written', () => {
  it('workflow_with_variables prints its variables from Python', async () => {
    const execution = await rt.run(fixture('course/workflow_with_variables.yaml'));
    expect(execution.state.current).toBe('SUCCESS');
    expect(await printed(execution.id, 'log_variables')).toEqual(
      expect.arrayContaining(['Project: taxi_project', 'Batch Size: 1000', 'Output: parquet']),
    );
  });

  it('the task-dependencies fragment runs its three Python steps in order', async () => {
    const source = `id: task_dependencies\nnamespace: examples\n${fixture('course-fragments/task_dependencies.yaml')}`;
    const execution = await rt.run(source);
    expect(statesOf(execution)).toEqual({
      step1_extract: 'SUCCESS',
      step2_transform: 'SUCCESS',
      step3_load: 'SUCCESS',
    });
    const runs = execution.taskRunList;
    for (let i = 1; i < runs.length; i++)
      expect(runs[i]!.state.startDate >= runs[i - 1]!.state.endDate!).toBe(true);
    expect(await printed(execution.id, 'step3_load')).toContain('Loading data...');
  });

  it('user_input_flow renders its inputs into the Python script', async () => {
    const execution = await rt.run(fixture('course-fragments/user_input_flow_with_tasks.yaml'), {
      dataset_name: 'yellow_tripdata',
    });
    expect(execution.state.current).toBe('SUCCESS');
    expect(await printed(execution.id, 'process_data')).toEqual(
      expect.arrayContaining(['Processing date: 2024-02-05', 'Dataset: yellow_tripdata']),
    );
  });
});
