/**
 * How the Logs page puts the lines written since its search among those it shows
 * (ui/src/pages/logs/mergeNewLines.ts): newest first, a later-written line before older ones of
 * its instant, and a line older than the last shown one left to the next page when there is one.
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../ui/src/api/types.js';
import { mergeNewLines } from '../../ui/src/pages/logs/mergeNewLines.js';

const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
const line = (message: string, second: number): LogEntry => ({
  executionId: 'e',
  level: 'INFO',
  message,
  timestamp: at(second),
});
const messages = (lines: readonly LogEntry[]) => lines.map((l) => l.message);

describe('mergeNewLines', () => {
  const shown = [line('s30', 30), line('s20', 20), line('s10', 10)];

  it('puts new lines on top, and a line stamped earlier than it was written in its place', () => {
    const fresh = [line('n40', 40), line('n20', 20), line('n15', 15)];
    expect(messages(mergeNewLines(fresh, shown, false))).toEqual(['n40', 's30', 'n20', 's20', 'n15', 's10']);
  });

  it('keeps a new line older than every shown one at the end when all lines are read', () => {
    expect(messages(mergeNewLines([line('n5', 5)], shown, false))).toEqual(['s30', 's20', 's10', 'n5']);
  });

  it('leaves a new line older than the last shown one to the next page when more are to be read', () => {
    const fresh = [line('n40', 40), line('n10', 10), line('n5', 5)];
    expect(messages(mergeNewLines(fresh, shown, true))).toEqual(['n40', 's30', 's20', 'n10', 's10']);
  });

  it('gives the shown lines unchanged (a copy) when nothing is new', () => {
    const merged = mergeNewLines([], shown, true);
    expect(merged).toEqual(shown);
    expect(merged).not.toBe(shown);
  });
});
