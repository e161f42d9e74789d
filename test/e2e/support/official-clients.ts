/**
 * The official Google clients pointed at a GCP emulator, to read back what flows wrote: the
 * tests check the emulator through the same libraries a user's own code would use.
 */
import { createRequire } from 'node:module';
import { BigQuery } from '@google-cloud/bigquery';
import type { BigQueryOptions } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import type * as AuthLibrary from 'google-auth-library';

/** The google-auth-library the BigQuery package itself uses (a credential of another version is not understood). */
const bigQueryAuth = createRequire(createRequire(import.meta.url).resolve('@google-cloud/bigquery'))(
  'google-auth-library',
) as typeof AuthLibrary;

/**
 * A BigQuery client on the emulator at `url`. The library always authenticates and would send
 * any key to Google's token URL, so it gets a fixed bearer token (the emulator takes any).
 */
export function emulatorBigQuery(url: string, projectId: string): BigQuery {
  const authClient = new bigQueryAuth.OAuth2Client();
  authClient.setCredentials({ access_token: 'windhover-test', expiry_date: Date.now() + 3_600_000 });
  const client = new BigQuery({
    projectId,
    apiEndpoint: url,
    authClient: new bigQueryAuth.GoogleAuth({ authClient }) as unknown as BigQueryOptions['authClient'],
    autoRetry: false,
  });
  // The library prefers BIGQUERY_EMULATOR_HOST of this process to the endpoint given.
  client.baseUrl = `${url}/bigquery/v2`;
  return client;
}

/** A Cloud Storage client on the emulator at `url` (no credentials: a custom endpoint needs none). */
export function emulatorStorage(url: string, projectId: string): Storage {
  const client = new Storage({ projectId, apiEndpoint: url, retryOptions: { autoRetry: false } });
  // As for BigQuery: STORAGE_EMULATOR_HOST of this process would win over the endpoint given.
  client.apiEndpoint = url;
  client.baseUrl = `${url}/storage/v1`;
  return client;
}

/** The rows of a query, read with the official client. */
export async function queryRows<Row>(url: string, projectId: string, sql: string): Promise<Row[]> {
  const [rows] = await emulatorBigQuery(url, projectId).query({ query: sql });
  return rows as Row[];
}
