/**
 * Service-account keys of the GCP tasks: reading the `serviceAccount` property (a key as JSON
 * text) without ever echoing it, masking it in the job's logs, and the OAuth 2.0 JWT-bearer
 * exchange against a key's own `token_uri` (used with the emulator, whose `/token` the Google
 * client libraries never call: they send every key to Google's token URL).
 */
import { createSign } from 'node:crypto';
import { TaskFailure } from '../api.js';
import type { TaskContext } from '../api.js';

/** The fields of a service-account key file the tasks use. */
export interface ServiceAccountKey {
  type?: string;
  project_id?: string;
  private_key_id?: string;
  private_key?: string;
  client_email?: string;
  token_uri?: string;
  [field: string]: unknown;
}

/** An access token and when it expires (ms since the epoch). */
export interface AccessToken {
  token: string;
  expiresAt: number;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_LIFETIME_S = 3600;

/**
 * Parses `serviceAccount` (JSON text of a key) and masks it and its private key in the job's
 * logs. Bad JSON or a key without `client_email`/`private_key` is a task error that names the
 * property and never shows the value.
 */
export function parseServiceAccount(ctx: TaskContext, text: string): ServiceAccountKey {
  ctx.maskSecret(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TaskFailure(
      '`serviceAccount` is not valid JSON: give the whole service-account key file as JSON text, e.g. "{{ secret(\'GCP_CREDS\') }}"',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TaskFailure('`serviceAccount` must be a JSON object: the service-account key file');
  }
  const key = parsed as ServiceAccountKey;
  if (typeof key.private_key === 'string') maskPrivateKey(ctx, key.private_key);
  if (key.type === 'service_account' || key.type === undefined) {
    const missing = ['client_email', 'private_key'].filter((field) => typeof key[field] !== 'string');
    if (missing.length > 0) {
      throw new TaskFailure(
        `\`serviceAccount\` is not a service-account key: it has no ${missing.map((f) => `\`${f}\``).join(' or ')}`,
      );
    }
  }
  return key;
}

/** Masks the key whole, and each line of its body, so that no fragment of it reaches a log line. */
function maskPrivateKey(ctx: TaskContext, privateKey: string): void {
  ctx.maskSecret(privateKey);
  // The key may appear JSON-escaped (`\n` as two characters) in an error: its lines still match.
  for (const line of privateKey.split(/\r?\n|\\n/)) {
    if (line.length >= 16 && !line.startsWith('-----')) ctx.maskSecret(line);
  }
}

function base64Url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** The signed JWT assertion of a key for `audience` (RS256, as Google's token endpoint wants). */
export function signAssertion(key: ServiceAccountKey, scopes: readonly string[], audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = {
    iss: key.client_email,
    scope: scopes.join(' '),
    aud: audience,
    iat: now,
    exp: now + TOKEN_LIFETIME_S,
  };
  const unsigned = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(claims))}`;
  let signature: Buffer;
  try {
    signature = createSign('RSA-SHA256')
      .update(unsigned)
      .sign(key.private_key ?? '');
  } catch {
    throw new TaskFailure(
      '`serviceAccount`: its `private_key` cannot sign (not a PEM RSA private key); give the key file as downloaded',
    );
  }
  return `${unsigned}.${base64Url(signature)}`;
}

/**
 * Exchanges a key's signed assertion for an access token at its `token_uri` (RFC 7523), as
 * Google's libraries do against Google.
 */
export async function exchangeToken(
  key: ServiceAccountKey,
  scopes: readonly string[],
  signal: AbortSignal,
): Promise<AccessToken> {
  const tokenUri = key.token_uri ?? '';
  const body = new URLSearchParams({
    grant_type: JWT_BEARER,
    assertion: signAssertion(key, scopes, tokenUri),
  });
  let response: Response;
  try {
    response = await fetch(tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal,
    });
  } catch (error) {
    throw new TaskFailure(`cannot reach the token endpoint ${tokenUri}: ${networkReason(error)}`);
  }
  const text = await response.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!response.ok || typeof answer.access_token !== 'string') {
    const reason = typeof answer.error === 'string' ? answer.error : `HTTP ${response.status}`;
    const detail = typeof answer.error_description === 'string' ? `: ${answer.error_description}` : '';
    throw new TaskFailure(
      `the token endpoint ${tokenUri} refused the service account key (${reason}${detail})`,
    );
  }
  const expiresIn = typeof answer.expires_in === 'number' ? answer.expires_in : TOKEN_LIFETIME_S;
  return { token: answer.access_token, expiresAt: Date.now() + expiresIn * 1000 };
}

/** The system error code of a failed connection (ECONNREFUSED…), looking through causes. */
export function networkCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    if (typeof current !== 'object') break;
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string' && /^E[A-Z_]+$/.test(record.code)) return record.code;
    if (Array.isArray(record.errors)) {
      for (const inner of record.errors as unknown[]) {
        const code = networkCode(inner);
        if (code) return code;
      }
    }
    current = record.cause;
  }
  return undefined;
}

function networkReason(error: unknown): string {
  return networkCode(error) ?? (error instanceof Error ? error.message : String(error));
}
