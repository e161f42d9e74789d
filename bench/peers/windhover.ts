/** Windhover's side: `server local` from the built dist, its flows in a folder, its execution counts from the API. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REQUEST_BODY, windhoverFlowId, windhoverWebhookPath } from './flows.js';
import type { FlowName } from './flows.js';
import { startServer } from './server.js';
import type { RunningServer } from './server.js';

/**
 * Writes the flows into `root/flows` and starts `server local` on a fresh data folder under `root`;
 * ready once `readyFlow`'s webhook answers. `checkout`: the built Windhover to start (default: this one).
 */
export function startWindhover(
  root: string,
  port: number,
  flows: Partial<Record<FlowName, string>>,
  readyFlow: FlowName,
  readyFlowWaits = true,
  checkout?: string,
): Promise<RunningServer> {
  const flowDir = join(root, 'flows');
  mkdirSync(flowDir, { recursive: true });
  for (const [name, source] of Object.entries(flows))
    writeFileSync(join(flowDir, `${windhoverFlowId(name as FlowName)}.yaml`), source);
  return startServer({
    name: 'Windhover',
    port,
    command: process.execPath,
    ...(checkout ? { cwd: checkout } : {}),
    args: [
      'bin/windhover.js',
      'server',
      'local',
      '--data',
      join(root, 'data'),
      '-f',
      flowDir,
      '--port',
      String(port),
    ],
    // No login, so that the bench reads execution counts from the API as webhook.ts does.
    env: { ...process.env, WINDHOVER_USERNAME: '', WINDHOVER_PASSWORD: '' },
    logFile: join(root, 'windhover.log'),
    healthPath: '/health',
    readyPath: windhoverWebhookPath(readyFlow),
    readyBody: REQUEST_BODY,
    // A webhook that does not wait answers with the execution just created: any 2xx will do.
    readyFailure: readyFlowWaits ? windhoverFailure : () => undefined,
    timeoutMs: 30_000,
  });
}

/** Executions of the `peers` namespace in the store: all of them, and those that ended SUCCESS. */
export async function executionCounts(port: number): Promise<{ all: number; success: number }> {
  const total = async (query: string): Promise<number> => {
    const res = await fetch(
      `http://127.0.0.1:${port}/api/v1/main/executions/search?namespace=peers&size=1${query}`,
    );
    if (!res.ok) throw new Error(`execution search answered ${res.status}`);
    return ((await res.json()) as { total: number }).total;
  };
  return { all: await total(''), success: await total('&state=SUCCESS') };
}

/** Why a `wait: true` webhook answer (the execution as JSON) is not a SUCCESS; undefined when it is. */
export function windhoverFailure(body: string): string | undefined {
  const state = (JSON.parse(body) as { state?: { current?: string } }).state?.current;
  return state === 'SUCCESS' ? undefined : `execution ended ${state ?? 'in no state'}`;
}
