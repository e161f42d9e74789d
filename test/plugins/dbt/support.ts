/**
 * What the dbt task tests share: the stand-in `dbt` (fake-dbt.mjs, a TEST DOUBLE of the dbt
 * CLI, which cannot be installed here) put first on PATH, and a small dbt project written into
 * a namespace's files.
 */
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InternalStorage } from '../../../src/storage/contract.js';

const FAKE_DBT = fileURLToPath(new URL('./fake-dbt.mjs', import.meta.url));

/**
 * Puts the fake `dbt` first on the worker's PATH (script tasks get the worker's PATH); returns
 * the undo. The folder is readable by every user: a worker running as root starts scripts as
 * another user.
 */
export function fakeDbtOnPath(): () => void {
  const bin = mkdtempSync(join(tmpdir(), 'wh-fake-dbt-'));
  chmodSync(bin, 0o755);
  symlinkSync(FAKE_DBT, join(bin, 'dbt'));
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
  return () => {
    process.env.PATH = before;
    rmSync(bin, { recursive: true, force: true });
  };
}

/** The files of a small dbt project, named after the course's `taxi_rides_ny`. */
export function taxiProject(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'dbt_project.yml': 'name: taxi_rides_ny\nprofile: default\n',
    'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n',
    'seeds/taxi_zone_lookup.csv': 'locationid,borough\n1,EWR\n2,Queens\n3,Bronx\n',
    'models/staging/stg_green_tripdata.sql': 'select * from green_tripdata\n-- fake-dbt: rows 1200\n',
    'models/core/fact_trips.sql':
      "{{ config(materialized='table') }}\nselect * from {{ ref('stg_green_tripdata') }}\n-- fake-dbt: rows 1100\n",
    'tests/assert_positive_fares.sql': "select * from {{ ref('fact_trips') }} where fare < 0\n",
    ...overrides,
  };
}

/** Writes files into a namespace's files (under `prefix/` when given). */
export async function putNamespaceFiles(
  storage: InternalStorage,
  namespace: string,
  files: Record<string, string>,
  prefix = '',
): Promise<void> {
  for (const [path, content] of Object.entries(files))
    await storage.put(storage.namespaceFileUri(namespace, `${prefix}${path}`), content);
}

/** The course's profile (03_postgres_dbt), with the password given. */
export function postgresProfile(password = 'k3str4'): string {
  return `default:
  outputs:
    dev:
      type: postgres
      host: host.docker.internal
      user: kestra
      password: ${password}
      port: 5432
      dbname: postgres-zoomcamp
      schema: public
      threads: 8
  target: dev`;
}

/** Indents a block of text for a YAML literal under a task property. */
export function indent(text: string, spaces = 6): string {
  return text
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');
}
