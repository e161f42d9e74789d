/**
 * Where the first YAML → no-code switch's time goes (see bench/ui-nocode.ts): the switch recorded
 * with Chromium's sampling profiler (0.1 ms interval), its time summed by JavaScript function
 * (self time) and by script file, with the time outside JavaScript (style, layout, paint, idle)
 * as `(program)` / `(idle)`.
 *
 *   npm run bench:ui-nocode -- --profile
 */
import type { Page } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const top = (totals: Map<string, number>, count: number) =>
  Object.fromEntries(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, ms]) => [name, Math.round(ms)]),
  );

/** Runs `action` (the first switch) under the profiler and returns where its time went. */
export async function profileSwitch(page: Page, action: () => Promise<number>) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const switchMs = await action();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  await cdp.detach();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = nodes.get(id)?.callFrame;
    const ms = (profile.timeDeltas?.[i] ?? 0) / 1000;
    const file = frame?.url.split('/').pop() || frame?.functionName || '?';
    const name = `${frame?.functionName || '(anonymous)'} ${file}:${frame?.lineNumber}:${frame?.columnNumber}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  });
  return { switchMs, selfMsByFile: top(byFile, 12), selfMsByFunction: top(byFunction, 25) };
}
