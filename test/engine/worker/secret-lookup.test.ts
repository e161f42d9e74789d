/**
 * Issue 18, item 8: `secret(name)` finds its `SECRET_*` variable as Kestra's SecretService does:
 * the name is upper-cased on both sides, so `secret('my_secret')` reads `SECRET_MY_SECRET`, and a
 * base64 value split over several lines (as `base64` wraps it) still decodes.
 */
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../../src/engine/worker/host-functions.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('secret() lookup', () => {
  it('ignores the case of the name', () => {
    const env = { SECRET_MY_SECRET: b64('secretValue') };
    expect(readSecret(env, 'my_secret')).toBe('secretValue');
    expect(readSecret(env, 'My_Secret')).toBe('secretValue');
    expect(readSecret(env, 'MY_SECRET')).toBe('secretValue');
  });

  it('finds a variable whose name after SECRET_ is not upper-case', () => {
    const env = { SECRET_lower_name: b64('low') };
    expect(readSecret(env, 'LOWER_NAME')).toBe('low');
    expect(readSecret(env, 'lower_name')).toBe('low');
  });

  it('decodes a value wrapped over several lines', () => {
    const long = 'x'.repeat(120);
    const wrapped = b64(long).replace(/(.{76})/g, '$1\n');
    expect(wrapped).toContain('\n');
    expect(readSecret({ SECRET_LONG: wrapped }, 'long')).toBe(long);
  });

  it('names the upper-cased variable when the secret is missing', () => {
    expect(() => readSecret({}, 'my_secret')).toThrow(/SECRET_MY_SECRET/);
  });
});
