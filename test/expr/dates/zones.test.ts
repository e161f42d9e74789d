import { describe, expect, it } from 'vitest';
import { offsetId, renderZone, zoneOf, ZonedDateTime } from '../../../src/expr/dates/index.js';

/** The offset Intl gives for an instant, computed without any cache (seconds). */
function intlOffset(zone: string, millis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(millis);
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return (local - Math.floor(millis / 1000) * 1000) / 1000;
}

describe('zones', () => {
  it.each(['America/New_York', 'Europe/Paris', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Sao_Paulo'])(
    'offsets of %s match Intl every 7 minutes of 2024, across the cached hours',
    (id) => {
      const zone = zoneOf(id);
      const start = Date.UTC(2024, 0, 1);
      for (let t = start; t < Date.UTC(2025, 0, 1); t += 7 * 60_000 + 13_000) {
        if (zone.offsetAt(t) !== intlOffset(id, t))
          expect(`${id} at ${new Date(t).toISOString()}: ${zone.offsetAt(t)}`).toBe(intlOffset(id, t));
      }
    },
  );

  it('switches offset at the exact second of a transition', () => {
    const ny = zoneOf('America/New_York');
    const change = Date.UTC(2024, 2, 10, 7);
    expect(ny.offsetAt(change - 1)).toBe(-5 * 3600);
    expect(ny.offsetAt(change)).toBe(-4 * 3600);
  });

  it('reads ids as Java does and caches them', () => {
    expect(zoneOf('UTC+1').id).toBe('UTC+01:00');
    expect(zoneOf('+0530').id).toBe('+05:30');
    expect(zoneOf('Z').isOffset).toBe(true);
    expect(zoneOf('UTC').isOffset).toBe(false);
    expect(zoneOf('Europe/Paris')).toBe(zoneOf('Europe/Paris'));
    expect(() => zoneOf('Europe/Pariss')).toThrow('Unknown time-zone ID: Europe/Pariss');
  });

  it('accepts any zone Intl knows as the render zone', () => {
    expect(renderZone('Europe/Paris').id).toBe('Europe/Paris');
    expect(() => renderZone('Nowhere/Land')).toThrow('Unknown time-zone ID: Nowhere/Land');
  });

  it('prints offsets as Java', () => {
    expect(offsetId(0)).toBe('Z');
    expect(offsetId(-12_600)).toBe('-03:30');
    expect(offsetId(3723)).toBe('+01:02:03');
  });

  it('places local times in gaps and overlaps as ZonedDateTime.ofLocal', () => {
    const ny = zoneOf('America/New_York');
    const gap = ZonedDateTime.ofLocal(
      { year: 2024, month: 3, day: 10, hour: 2, minute: 30, second: 0, nano: 0 },
      ny,
    );
    expect(gap.toString()).toBe('2024-03-10T03:30-04:00[America/New_York]');
    const overlap = { year: 2024, month: 11, day: 3, hour: 1, minute: 30, second: 0, nano: 0 };
    expect(ZonedDateTime.ofLocal(overlap, ny).toString()).toBe('2024-11-03T01:30-04:00[America/New_York]');
    expect(ZonedDateTime.ofLocal(overlap, ny, -5 * 3600).toString()).toBe(
      '2024-11-03T01:30-05:00[America/New_York]',
    );
  });
});
