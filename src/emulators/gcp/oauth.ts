/**
 * The emulator's OAuth2 token endpoint (`POST /token`), so clients given a service-account key
 * whose `token_uri` points here run their real sign-and-exchange flow: they post a JWT signed
 * with the key (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) and get a bearer
 * token. The emulator has no public keys, so it checks the assertion's shape (three base64url
 * parts, RS256, `iss`, `aud`, `scope` or `target_audience`, `exp` not past), not its signature:
 * it is for exercising the flow, not for security. Issued tokens are remembered so tests can see
 * that API requests carried one.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_LIFETIME_SECONDS = 3600;
/** Clock skew allowed on `exp` and `iat`, as Google allows some. */
const SKEW_SECONDS = 300;

/** What the token endpoint has done, for tests and the CLI's log. */
export class OAuthState {
  private readonly issued = new Set<string>();
  /** Successful token exchanges. */
  tokenExchanges = 0;
  /** API requests whose `Authorization: Bearer` was a token issued here. */
  authenticatedRequests = 0;

  /** Issues a new access token. */
  issue(): string {
    const token = `ya29.emulator-${randomBytes(24).toString('base64url')}`;
    this.issued.add(token);
    this.tokenExchanges++;
    return token;
  }

  /** Whether a bearer token was issued by this emulator. */
  isIssued(token: string): boolean {
    return this.issued.has(token);
  }

  /** Counts a request if it carries a token issued here. */
  observe(request: FastifyRequest): void {
    const header = request.headers.authorization;
    if (
      typeof header === 'string' &&
      header.startsWith('Bearer ') &&
      this.issued.has(header.slice(7).trim())
    ) {
      this.authenticatedRequests++;
    }
  }
}

class InvalidGrant extends Error {}

function decodeJsonPart(part: string, what: string): Record<string, unknown> {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part))
    throw new InvalidGrant(`The assertion's ${what} is not base64url.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidGrant(`The assertion's ${what} is not JSON.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new InvalidGrant(`The assertion's ${what} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}

/** Checks a JWT-bearer assertion's structure and claims; returns its claims. */
export function checkAssertion(assertion: string, nowSeconds = Date.now() / 1000): Record<string, unknown> {
  if (assertion.length > 16 * 1024) throw new InvalidGrant('The assertion is too long.');
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new InvalidGrant('The assertion is not a JWT (header.payload.signature).');
  const header = decodeJsonPart(parts[0]!, 'header');
  if (header.alg !== 'RS256')
    throw new InvalidGrant(
      `Invalid JWT signature algorithm ${JSON.stringify(header.alg)}: service accounts sign with RS256.`,
    );
  const claims = decodeJsonPart(parts[1]!, 'payload');
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(parts[2]!)) throw new InvalidGrant('The assertion has no signature.');
  if (typeof claims.iss !== 'string' || claims.iss === '')
    throw new InvalidGrant('The assertion has no issuer (iss: the service account email).');
  if (typeof claims.aud !== 'string' || claims.aud === '')
    throw new InvalidGrant('The assertion has no audience (aud: the token URI).');
  const hasScope = typeof claims.scope === 'string' && claims.scope !== '';
  const hasAudience = typeof claims.target_audience === 'string' && claims.target_audience !== '';
  if (!hasScope && !hasAudience)
    throw new InvalidGrant('The assertion has neither scope nor target_audience.');
  if (typeof claims.exp !== 'number') throw new InvalidGrant('The assertion has no expiry (exp).');
  if (claims.exp < nowSeconds - SKEW_SECONDS)
    throw new InvalidGrant(
      'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe (exp is in the past).',
    );
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds + SKEW_SECONDS)
    throw new InvalidGrant('Invalid JWT: iat is in the future.');
  return claims;
}

function oauthError(error: string, description: string): { error: string; error_description: string } {
  return { error, error_description: description };
}

/** The `/token` route (and `/oauth2/v4/token`, an older name of it). */
export function oauthRoutes(state: OAuthState): FastifyPluginAsync {
  return (app: FastifyInstance) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    const handler = (request: FastifyRequest, reply: FastifyReply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const grantType = body.grant_type;
      if (grantType === JWT_BEARER) {
        if (typeof body.assertion !== 'string')
          return reply.code(400).send(oauthError('invalid_request', 'Missing required parameter: assertion'));
        let claims: Record<string, unknown>;
        try {
          claims = checkAssertion(body.assertion);
        } catch (error) {
          if (error instanceof InvalidGrant)
            return reply.code(400).send(oauthError('invalid_grant', error.message));
          throw error;
        }
        const token = state.issue();
        if (typeof claims.target_audience === 'string' && claims.target_audience !== '') {
          // An ID-token request: Google answers with `id_token` only.
          return { id_token: token };
        }
        return { access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' };
      }
      if (grantType === 'refresh_token') {
        // User credentials (gcloud's application-default login): any refresh token is accepted.
        if (typeof body.refresh_token !== 'string' || body.refresh_token === '') {
          return reply
            .code(400)
            .send(oauthError('invalid_request', 'Missing required parameter: refresh_token'));
        }
        return {
          access_token: state.issue(),
          expires_in: TOKEN_LIFETIME_SECONDS,
          token_type: 'Bearer',
          scope: 'https://www.googleapis.com/auth/cloud-platform',
        };
      }
      return reply
        .code(400)
        .send(
          oauthError(
            'unsupported_grant_type',
            `Unsupported grant_type ${JSON.stringify(grantType ?? null)}: use ${JWT_BEARER} or refresh_token.`,
          ),
        );
    };
    app.post('/token', handler);
    app.post('/oauth2/v4/token', handler);
    return Promise.resolve();
  };
}
