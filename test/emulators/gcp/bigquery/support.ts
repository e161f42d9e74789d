/**
 * What the BigQuery emulator tests share: a running emulator (storage and BigQuery on one port)
 * and the official clients pointed at it. The BigQuery library always authenticates, so it gets a
 * credential with a fixed token that never asks Google for one (the emulator takes any request).
 */
import { createRequire } from 'node:module';
import { BigQuery } from '@google-cloud/bigquery';
import type { BigQueryOptions } from '@google-cloud/bigquery';
import { Storage } from '@google-cloud/storage';
import type * as AuthLibrary from 'google-auth-library';
import { startTestEmulator } from '../support.js';
import type { TestEmulator } from '../support.js';

/** The project the tests use. */
export const projectId = 'windhover-test';

/** A running emulator with clients. */
export interface BigQueryTestContext {
  emulator: TestEmulator;
  bigquery: BigQuery;
  storage: Storage;
}

/** The google-auth-library the BigQuery client was built with (its own copy, for `instanceof`). */
function authLibrary(): typeof AuthLibrary {
  const require = createRequire(import.meta.url);
  const fromBigQuery = createRequire(require.resolve('@google-cloud/bigquery'));
  return fromBigQuery('google-auth-library') as typeof AuthLibrary;
}

/** A BigQuery client of the emulator at `url`. */
export function bigQueryClient(url: string): BigQuery {
  const auth = authLibrary();
  const client = new auth.OAuth2Client();
  client.setCredentials({
    access_token: 'emulator',
    expiry_date: Date.now() + 3600_000,
    token_type: 'Bearer',
  });
  const options: BigQueryOptions = {
    projectId,
    apiEndpoint: url,
    autoRetry: false,
    // The library takes a GoogleAuth too (checked with instanceof); its type names bare clients only.
    authClient: new auth.GoogleAuth({
      authClient: client,
      projectId,
    }) as unknown as BigQueryOptions['authClient'],
  };
  return new BigQuery(options);
}

/** Starts an emulator and makes the clients. */
export async function startBigQueryTest(): Promise<BigQueryTestContext> {
  const emulator = await startTestEmulator();
  return {
    emulator,
    bigquery: bigQueryClient(emulator.url),
    storage: new Storage({ projectId, apiEndpoint: emulator.url }),
  };
}
