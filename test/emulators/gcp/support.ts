/**
 * Test support for the GCP emulator: a running emulator on a free port over a temporary data
 * folder, and a service-account key (freshly generated RSA key) whose `token_uri` is the
 * emulator's, so the official clients' real sign-and-exchange flow runs against it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGcpEmulator, type GcpEmulatorStats } from '../../../src/emulators/gcp/server.js';

/** A running test emulator. */
export interface TestEmulator {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  dataDir: string;
  /** OAuth counters (token exchanges, requests that carried an issued token). */
  stats(): GcpEmulatorStats;
  /** Stops the emulator and removes its data folder. */
  close(): Promise<void>;
}

/** Starts a quiet emulator on 127.0.0.1, port 0, over a new temporary folder. */
export async function startTestEmulator(): Promise<TestEmulator> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wh-gcp-emulator-'));
  try {
    const emulator = await startGcpEmulator({ host: '127.0.0.1', port: 0, dataDir, quiet: true });
    return {
      url: emulator.url,
      dataDir,
      stats: () => emulator.stats(),
      close: async () => {
        await emulator.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

let cachedKeyPair: { privateKey: string } | undefined;

/**
 * A service-account key JSON (as Google's console downloads it) for project `windhover-test`,
 * with `token_uri` = `${url}/token`. The RSA key is generated once per test process.
 */
export function serviceAccountKey(url: string, projectId = 'windhover-test'): string {
  cachedKeyPair ??= {
    privateKey: generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey,
  };
  const email = `windhover-test@${projectId}.iam.gserviceaccount.com`;
  return JSON.stringify(
    {
      type: 'service_account',
      project_id: projectId,
      private_key_id: randomBytes(20).toString('hex'),
      private_key: cachedKeyPair.privateKey,
      client_email: email,
      client_id: String(100000000000000000000n + BigInt(randomBytes(6).readUIntBE(0, 6))),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: `${url}/token`,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    },
    null,
    2,
  );
}
