/**
 * The process's time zone is read (through Intl, ~30 ms the first time in a process) only by a
 * render that needs a zone: `windhover run` of a flow without dates never pays for it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { templates } from '../../src/expr/index.js';

afterEach(() => vi.restoreAllMocks());

describe('the process time zone', () => {
  it('is not read by a render without dates, and is by one with them', async () => {
    const zoneReads = vi.spyOn(Intl, 'DateTimeFormat');
    expect(await templates.renderAsync('Hello, {{ name | upper }}!', { name: 'Ada' })).toBe('Hello, ADA!');
    expect(zoneReads).not.toHaveBeenCalled();
    expect(await templates.renderAsync("{{ now() | date('yyyy') }}", {})).toMatch(/^\d{4}$/);
    expect(zoneReads).toHaveBeenCalled();
  });
});
