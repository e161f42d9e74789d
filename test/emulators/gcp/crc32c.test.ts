/** The emulator's CRC32C against the official client's (byte-at-a-time) one, on every alignment. */
import { randomBytes } from 'node:crypto';
import { CRC32C } from '@google-cloud/storage';
import { expect, test } from 'vitest';
import { Crc32c } from '../../../src/emulators/gcp/storage/crc32c.js';

test('the check value of "123456789" is e3069283', () => {
  expect(new Crc32c().update(Buffer.from('123456789')).value().toString(16)).toBe('e3069283');
  expect(new Crc32c().base64()).toBe('AAAAAA==');
});

test('matches the official client for any length, offset and split', () => {
  const data = randomBytes(5000);
  for (const [offset, length] of [
    [0, 0],
    [1, 1],
    [3, 17],
    [2, 33],
    [1, 1000],
    [0, 4096],
    [7, 4993],
  ] as const) {
    const slice = data.subarray(offset, offset + length);
    const expected = new CRC32C();
    expected.update(slice);
    expect(new Crc32c().update(slice).base64()).toBe(expected.toString());
    for (const cut of [1, 5, Math.floor(length / 2)]) {
      const split = new Crc32c().update(slice.subarray(0, cut)).update(slice.subarray(cut));
      expect(split.base64()).toBe(expected.toString());
    }
  }
});
