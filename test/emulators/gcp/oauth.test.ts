/**
 * The emulator's OAuth2 token endpoint: the official Storage client signs a JWT with a
 * service-account key (RS256, its own code), exchanges it at the emulator's `/token`, and sends
 * the issued token as `Authorization: Bearer` on its API calls. The client library posts to
 * Google's fixed token URL whatever the key's `token_uri` says, so the test gives it (through
 * `clientOptions.transporter`, an option of its auth library) a transporter that sends token
 * requests to the key's `token_uri` instead.
 */
import { createSign } from 'node:crypto';
import { Storage, type StorageOptions } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { serviceAccountKey, startTestEmulator, type TestEmulator } from './support.js';

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

interface TransporterRequest {
  url?: string;
  method?: string;
  data?: Record<string, string>;
  headers?: Record<string, string>;
}

type Transporter = NonNullable<NonNullable<StorageOptions['clientOptions']>['transporter']>;

/** A transporter (google-auth-library's request interface) that posts token requests to `tokenUri`. */
function tokenUriTransporter(tokenUri: string): Transporter {
  const transporter = {
    async request(options: TransporterRequest) {
      const response = await fetch(tokenUri, {
        method: options.method ?? 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(options.data ?? {}).toString(),
      });
      const data = await response.json();
      if (!response.ok)
        throw Object.assign(new Error(`token request failed: ${response.status}`), {
          response: { status: response.status, data },
        });
      return { data, status: response.status, statusText: response.statusText, headers: {}, config: options };
    },
  };
  // The interface is gaxios' generic request<T>; the token flow reads only status and data.
  return transporter as unknown as Transporter;
}

function jwt(header: object, claims: object): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const key = JSON.parse(serviceAccountKey(emulator.url)) as { private_key: string };
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key).toString('base64url');
  return `${unsigned}.${signature}`;
}

async function exchange(
  body: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('OAuth2 /token', () => {
  test('the official client exchanges a signed JWT and sends the issued bearer token', async () => {
    const key = JSON.parse(serviceAccountKey(emulator.url)) as { token_uri: string; project_id: string };
    const storage = new Storage({
      apiEndpoint: emulator.url,
      projectId: key.project_id,
      credentials: key,
      useAuthWithCustomEndpoint: true,
      clientOptions: { transporter: tokenUriTransporter(key.token_uri) },
    });
    const before = emulator.stats();
    const [bucket] = await storage.createBucket('oauth-bucket');
    await bucket.file('a.txt').save('authenticated', { resumable: false });
    const [data] = await bucket.file('a.txt').download();
    expect(data.toString()).toBe('authenticated');
    const after = emulator.stats();
    // One exchange, cached by the client for the following calls.
    expect(after.tokenExchanges - before.tokenExchanges).toBe(1);
    expect(after.authenticatedRequests - before.authenticatedRequests).toBeGreaterThanOrEqual(3);
  });

  test('a client without credentials sends no token', async () => {
    const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'windhover-test' });
    const before = emulator.stats();
    await storage.createBucket('anonymous-bucket');
    expect(emulator.stats()).toEqual(before);
  });

  test('a well-formed assertion gets a bearer token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const assertion = jwt(
      { alg: 'RS256', typ: 'JWT' },
      {
        iss: 'sa@p.iam.gserviceaccount.com',
        aud: `${emulator.url}/token`,
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        iat: now,
        exp: now + 3600,
      },
    );
    const result = await exchange({ grant_type: GRANT, assertion });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(result.body.access_token).toMatch(/^ya29\./);
  });

  test.each([
    ['not a JWT', 'abc'],
    ['not JSON', 'e30.bm90IGpzb24.c2ln'],
    [
      'another algorithm',
      () =>
        jwt({ alg: 'HS256' }, { iss: 'a', aud: 'b', scope: 'c', exp: Math.floor(Date.now() / 1000) + 60 }),
    ],
    [
      'no issuer',
      () => jwt({ alg: 'RS256' }, { aud: 'b', scope: 'c', exp: Math.floor(Date.now() / 1000) + 60 }),
    ],
    [
      'no scope',
      () => jwt({ alg: 'RS256' }, { iss: 'a', aud: 'b', exp: Math.floor(Date.now() / 1000) + 60 }),
    ],
    [
      'expired',
      () =>
        jwt({ alg: 'RS256' }, { iss: 'a', aud: 'b', scope: 'c', exp: Math.floor(Date.now() / 1000) - 3600 }),
    ],
  ])('a malformed assertion (%s) is 400 invalid_grant', async (_what, assertion) => {
    const result = await exchange({
      grant_type: GRANT,
      assertion: typeof assertion === 'string' ? assertion : assertion(),
    });
    expect(result.status).toBe(400);
    expect(result.body.error).toBe('invalid_grant');
    expect(typeof result.body.error_description).toBe('string');
  });

  test('an unknown grant type is 400 unsupported_grant_type', async () => {
    const result = await exchange({ grant_type: 'password', username: 'x' });
    expect(result).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });
});
