/**
 * The execution page in a real browser: restarting a failed execution after its flow was fixed,
 * resuming a paused one with its onResume inputs, changing a task run's state, and a log with a
 * 1 MB line that renders wrapped while the page stays responsive.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deployFlow } from '../../src/engine/runtime/local.js';
import { browserUnavailable, openUi } from './support.js';
import type { UiHarness } from './support.js';

const skip = browserUnavailable();
let ui: UiHarness | undefined;
const API = '/api/v1/main';

afterEach(async () => {
  await ui?.close();
  ui = undefined;
});

const CHILD_BROKEN = `id: child
namespace: ui.fix
tasks:
  - id: work
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: the child is broken
`;
const CHILD_FIXED = `id: child
namespace: ui.fix
tasks:
  - id: work
    type: io.kestra.plugin.core.log.Log
    message: the child works now
`;
const PARENT = `id: parent
namespace: ui.fix
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: ui.fix
    flowId: child
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: after the fix
`;

const APPROVE = `id: approve
namespace: ui.pause
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: reason
        type: STRING
        description: Why it may go on
  - id: done
    type: io.kestra.plugin.core.log.Log
    message: "resumed because {{ outputs.wait.onResume.reason }}"
`;

const SHORT = `id: short
namespace: ui.logs
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: a short line
`;

const STEPS = `id: steps
namespace: ui.live
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: [north, south]
    tasks:
      - id: say
        type: io.kestra.plugin.core.log.Log
        message: "first line from {{ taskrun.value }}"
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT3S
  - id: last
    type: io.kestra.plugin.core.log.Log
    message: second line, after the nap
`;

interface ExecutionBody {
  id: string;
  state: { current: string };
  taskRunList: Array<{ id: string; taskId: string }>;
}

/** Starts an execution through the API and waits for its end. */
async function runToEnd(harness: UiHarness, namespace: string, flowId: string): Promise<ExecutionBody> {
  const response = await harness.server.app.inject({
    method: 'POST',
    url: `${API}/executions/${namespace}/${flowId}?wait=true`,
  });
  return response.json<ExecutionBody>();
}

const stateBadge = (harness: UiHarness, state: string) =>
  harness.page.locator(`[data-testid=execution-state] [data-state=${state}]`);

describe.skipIf(skip !== undefined)('execution page', () => {
  it('restarts a failed execution from the UI once its subflow is fixed, and it ends in SUCCESS', async () => {
    ui = await openUi({ scheduler: false });
    const { store } = ui.server.local;
    await deployFlow(store, CHILD_BROKEN);
    await deployFlow(store, PARENT);
    const failed = await runToEnd(ui, 'ui.fix', 'parent');
    expect(failed.state.current).toBe('FAILED');

    await ui.open(`/executions/ui.fix/parent/${failed.id}`);
    await stateBadge(ui, 'FAILED').waitFor();
    expect(await ui.page.getByTestId('gantt-row').count()).toBe(1);
    const fixed = await ui.server.app.inject({
      method: 'PUT',
      url: `${API}/flows/ui.fix/child`,
      headers: { 'content-type': 'application/x-yaml' },
      payload: CHILD_FIXED,
    });
    expect(fixed.statusCode).toBe(200);
    await ui.page.getByRole('button', { name: 'Restart' }).click();
    await stateBadge(ui, 'SUCCESS').waitFor({ timeout: 20_000 });
    await ui.page.locator('[data-testid=gantt-row][data-task=after]').waitFor();
    await ui.page.getByRole('link', { name: 'Overview' }).click();
    // The tab renders after the click: read its state history once it is there, not at once.
    const overview = ui.page.getByTestId('overview').locator('[data-state]');
    const history = () => overview.allTextContents();
    await expect
      .poll(history, { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['FAILED', 'RESTARTED', 'SUCCESS']));
  });

  it('restarts a failed execution on the fixed revision of its own flow, chosen in the UI', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, CHILD_BROKEN);
    const failed = await runToEnd(ui, 'ui.fix', 'child');
    expect(failed.state.current).toBe('FAILED');
    await ui.open(`/executions/ui.fix/child/${failed.id}`);
    await stateBadge(ui, 'FAILED').waitFor();
    const fixed = await ui.server.app.inject({
      method: 'PUT',
      url: `${API}/flows/ui.fix/child`,
      headers: { 'content-type': 'application/x-yaml' },
      payload: CHILD_FIXED,
    });
    expect(fixed.statusCode).toBe(200);
    await ui.page.getByRole('button', { name: 'Restart' }).click();
    // The flow changed since: the latest revision is offered first.
    const revision = ui.page.getByLabel('Flow revision to restart on');
    expect(await revision.inputValue()).toBe('2');
    await ui.screenshots('execution-restart-choice');
    await ui.page.getByRole('button', { name: 'Restart on revision 2' }).click();
    await stateBadge(ui, 'SUCCESS').waitFor({ timeout: 20_000 });
    const now = await ui.server.app.inject({ method: 'GET', url: `${API}/executions/${failed.id}` });
    expect(now.json<{ flowRevision: number }>().flowRevision).toBe(2);
  });

  it('shows a refused command, and sets a task run state from the Gantt', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, CHILD_BROKEN);
    const failed = await runToEnd(ui, 'ui.fix', 'child');
    await ui.open(`/executions/ui.fix/child/${failed.id}`);
    await stateBadge(ui, 'FAILED').waitFor();
    // Another client settles it first: this page's Restart is then refused with the server's
    // reason, and the page reads the execution again.
    const work = failed.taskRunList.find((run) => run.taskId === 'work')!;
    await ui.server.app.inject({
      method: 'POST',
      url: `${API}/executions/${failed.id}/state`,
      payload: { taskRunId: work.id, state: 'SUCCESS' },
    });
    await vi.waitFor(
      async () => {
        const now = await ui!.server.app.inject({ method: 'GET', url: `${API}/executions/${failed.id}` });
        expect(now.json<ExecutionBody>().state.current).toBe('SUCCESS');
      },
      { timeout: 10_000 },
    );
    await ui.page.getByRole('button', { name: 'Restart' }).click();
    const alert = ui.page.getByRole('alert').filter({ hasText: 'refused' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('WH_EXECUTION_STATE');
    await stateBadge(ui, 'SUCCESS').waitFor();

    // Failing a task of the successful execution from the Gantt fails the execution.
    await ui.page.locator('[data-testid=gantt-row][data-task=work]').click();
    await ui.page.getByLabel('New state of the task run').selectOption('FAILED');
    await ui.page.getByRole('button', { name: "Set work's state" }).click();
    await stateBadge(ui, 'FAILED').waitFor({ timeout: 20_000 });
  });

  it('resumes a paused execution with the onResume inputs of its Pause task', async () => {
    ui = await openUi({ scheduler: false });
    const flow = await deployFlow(ui.server.local.store, APPROVE);
    const { runtime } = ui.server.local;
    const execution = await runtime.submit(flow, { inputs: {} });
    await ui.open(`/executions/ui.pause/approve/${execution.id}`);
    await stateBadge(ui, 'PAUSED').waitFor({ timeout: 20_000 });
    await ui.page.getByRole('button', { name: 'Resume…' }).click();
    const form = ui.page.getByTestId('resume-form');
    await form.locator('[data-input=reason]').waitFor();
    expect(await form.textContent()).toContain('Why it may go on');
    await form.locator('[data-input=reason] input').fill('approved by Ada');
    await ui.screenshots('execution-resume');
    await form.getByRole('button', { name: 'Resume' }).click();
    await stateBadge(ui, 'SUCCESS').waitFor({ timeout: 20_000 });
    await ui.page.getByRole('main').getByRole('link', { name: 'Logs' }).click();
    await ui.page.getByTestId('log-line').filter({ hasText: 'resumed because approved by Ada' }).waitFor();
  });

  it('appends log lines live while the execution runs, shows ForEach values, and replays from a task', async () => {
    ui = await openUi({ scheduler: false });
    const flow = await deployFlow(ui.server.local.store, STEPS);
    const { runtime } = ui.server.local;
    const execution = await runtime.submit(flow, { inputs: {} });
    const { page } = ui;
    await ui.open(`/executions/ui.live/steps/${execution.id}/logs`);
    await page.getByTestId('log-line').filter({ hasText: 'first line from south' }).waitFor();
    // Still running when the first lines are on screen; the last one arrives through the stream.
    expect(await page.locator('[data-testid=execution-state] [data-state=SUCCESS]').count()).toBe(0);
    expect(await page.getByTestId('log-line').filter({ hasText: 'second line' }).count()).toBe(0);
    await page
      .getByTestId('log-line')
      .filter({ hasText: 'second line, after the nap' })
      .waitFor({ timeout: 20_000 });
    await stateBadge(ui, 'SUCCESS').waitFor();

    await page.getByRole('link', { name: 'Gantt' }).click();
    // The tab renders its rows after the switch: wait for all five before reading them.
    await page.locator('[data-testid=gantt-row] .gantt-task').nth(4).waitFor();
    const labels = await page.locator('[data-testid=gantt-row] .gantt-task').allTextContents();
    expect(labels).toEqual(['each', 'say [north]', 'say [south]', 'nap', 'last']);
    // The logs of one task run, from the Gantt.
    await page.locator('[data-testid=gantt-row]').filter({ hasText: 'say [north]' }).click();
    await page.getByRole('link', { name: 'Logs of say [north]' }).click();
    await page.getByTestId('task-run-filter').waitFor();
    await page
      .getByTestId('log-count')
      .filter({ hasText: /^1 of \d+ lines/ })
      .waitFor();
    expect(await page.getByTestId('log-line').allTextContents()).toEqual([
      expect.stringContaining('first line from north'),
    ]);
    await page.getByRole('link', { name: 'Gantt' }).click();
    await page.locator('[data-testid=gantt-row]').filter({ hasText: 'say [north]' }).click();
    await page.locator('[data-testid=gantt-row][data-task=nap]').click();
    await page.getByRole('button', { name: 'Replay from nap' }).click();
    await page.waitForURL(
      (url) => url.pathname.startsWith('/executions/ui.live/steps/') && !url.pathname.endsWith(execution.id),
    );
    await stateBadge(ui, 'SUCCESS').waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: 'Overview' }).click();
    expect(await page.getByTestId('overview').textContent()).toContain(execution.id); // Replay of
  }, 60_000);

  it('says so for an unknown execution or tab instead of a blank page', async () => {
    ui = await openUi({ scheduler: false });
    await ui.open('/executions/ui.none/flow/NoSuchExecution');
    expect(await ui.page.getByRole('alert').textContent()).toContain('WH_EXECUTION_NOT_FOUND');
    await deployFlow(ui.server.local.store, SHORT);
    const done = await runToEnd(ui, 'ui.logs', 'short');
    await ui.open(`/executions/ui.logs/short/${done.id}/nope`);
    expect(await ui.page.getByRole('alert').textContent()).toContain('No tab called "nope"');
  });

  it('renders a 1 MB log line wrapped and stays responsive', async () => {
    ui = await openUi({ scheduler: false });
    await deployFlow(ui.server.local.store, SHORT);
    const done = await runToEnd(ui, 'ui.logs', 'short');
    const run = done.taskRunList[0]!;
    const huge = 'lorem ipsum dolor '.repeat(58_255); // 1,048,590 characters
    await ui.server.local.store.appendLogs([
      {
        executionId: done.id,
        namespace: 'ui.logs',
        flowId: 'short',
        taskId: 'hello',
        taskRunId: run.id,
        level: 'WARN',
        message: huge,
        timestamp: new Date().toISOString(),
      },
    ]);
    const { page } = ui;
    await ui.open(`/executions/ui.logs/short/${done.id}/logs`);
    const long = page.getByTestId('log-line').filter({ hasText: 'lorem ipsum' });
    await long.waitFor();
    const list = await page.locator('.log-list').boundingBox();
    let box = (await long.boundingBox())!;
    expect(box.height).toBeGreaterThan(60); // wrapped over many lines
    expect(box.width).toBeLessThanOrEqual(list!.width); // not one endless line
    const started = Date.now();
    await long.getByRole('button', { name: /Show the whole line \(1\.0 MB\)/ }).click();
    await long.getByRole('button', { name: 'Show less' }).waitFor();
    box = (await long.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(list!.width);
    expect(box.height).toBeGreaterThan(10_000);
    // Responsive: a frame comes within a second, and the search filters at once.
    // (a string: the tests compile without the DOM's types)
    const frame = await page.evaluate<number>(
      'new Promise((resolve) => { const t = performance.now(); requestAnimationFrame(() => resolve(performance.now() - t)); })',
    );
    expect(frame).toBeLessThan(1000);
    await page.getByLabel('Search the log').fill('short line');
    await page
      .getByTestId('log-count')
      .filter({ hasText: /^1 of \d+ lines/ })
      .waitFor();
    expect(Date.now() - started).toBeLessThan(10_000);
    await page.getByLabel('Search the log').fill('');
    await page.getByLabel('Group by task').check();
    await page.locator('.log-group').filter({ hasText: 'hello' }).waitFor();
    await ui.screenshots('execution-logs-long');
  });
});
