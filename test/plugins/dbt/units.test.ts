/** The dbt tasks' parts on their own: profile credentials, dbt's log lines, run results. */
import { describe, expect, it } from 'vitest';
import type { LogLevel, TaskLogger } from '../../../src/plugins/api.js';
import { DbtLogReader } from '../../../src/plugins/dbt/run/logs.js';
import { profileCredentials, profilesText } from '../../../src/plugins/dbt/run/profiles.js';
import { failureDetail, parseRunResults, summaryOf } from '../../../src/plugins/dbt/run/results.js';

function recorder(): { logger: TaskLogger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: LogLevel, message: string) => lines.push(`${level} ${message}`);
  return {
    lines,
    logger: {
      log,
      trace: (m) => log('TRACE', m),
      debug: (m) => log('DEBUG', m),
      info: (m) => log('INFO', m),
      warn: (m) => log('WARN', m),
      error: (m) => log('ERROR', m),
    },
  };
}

describe('profile credentials', () => {
  it('finds passwords, tokens and key fields at any depth, not addresses or other settings', () => {
    const text = `default:
  target: dev
  outputs:
    dev:
      type: postgres
      host: db.local
      user: kestra
      password: k3str4-long
      port: 5432
    warehouse:
      type: snowflake
      private_key_passphrase: "phrase-one"
      token: 12345678
    bq:
      type: bigquery
      method: service-account-json
      keyfile_json:
        private_key: "-----BEGIN PRIVATE KEY-----abc"
        client_secret: cs-secret
        token_uri: https://oauth2.googleapis.com/token
        client_email: me@example.iam.gserviceaccount.com
`;
    expect(profileCredentials(text).sort()).toEqual(
      ['-----BEGIN PRIVATE KEY-----abc', '12345678', 'cs-secret', 'k3str4-long', 'phrase-one'].sort(),
    );
  });

  it('refuses text that is not YAML, naming the place but not quoting the text', () => {
    expect(() => profileCredentials('default:\n  password: "unclosed\n  x: [')).toThrow(
      /^Property `profiles` is not valid YAML at line 3, column \d+ \([A-Z_]+\): check its quotes, brackets and indentation$/,
    );
  });

  it('takes profiles as text or as a map', () => {
    expect(profilesText('  ')).toBeUndefined();
    expect(profilesText({ default: { target: 'dev' } })).toBe('default:\n  target: dev\n');
    expect(() => profilesText(5)).toThrow('Property `profiles` must be');
  });
});

describe("dbt's log lines", () => {
  it('logs JSON lines of dbt 1.5+ and older at their level, and leaves other lines', () => {
    const { logger, lines } = recorder();
    const reader = new DbtLogReader(logger);
    const modern = (level: string, msg: string) =>
      JSON.stringify({ data: {}, info: { level, msg, name: 'X' } });
    expect(reader.accept(modern('info', 'Running with dbt=1.8.7'))).toBe(true);
    expect(reader.accept(modern('debug', 'details'))).toBe(true);
    expect(reader.accept(JSON.stringify({ level: 'error', msg: 'old format error', ts: 'now' }))).toBe(true);
    expect(reader.accept('plain text')).toBe(false);
    expect(reader.accept('{"not": "a log line"}')).toBe(false);
    expect(reader.warning).toBe(false);
    expect(reader.accept(modern('warn', 'Nothing to do.'))).toBe(true);
    expect(reader.warning).toBe(true);
    expect(lines).toEqual([
      'INFO Running with dbt=1.8.7',
      'DEBUG details',
      'ERROR old format error',
      'WARN Nothing to do.',
    ]);
    expect(reader.errors).toEqual(['old format error']);
  });
});

describe('run results', () => {
  it("reads dbt's v6 results and says why a run failed", () => {
    const results = parseRunResults(
      JSON.stringify({
        metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json' },
        elapsed_time: 1,
        results: [
          {
            unique_id: 'model.p.a',
            status: 'success',
            execution_time: 1.234,
            adapter_response: { rows_affected: 1 },
            message: 'SELECT 1',
            failures: null,
          },
          {
            unique_id: 'model.p.v',
            status: 'success',
            execution_time: 0.1,
            adapter_response: { rows_affected: -1 },
            message: 'CREATE VIEW',
            failures: null,
          },
          {
            unique_id: 'test.p.t',
            status: 'fail',
            execution_time: 0.5,
            adapter_response: {},
            failures: 2,
            message: 'Got 2 results',
          },
        ],
      }),
    );
    expect(results.map(summaryOf)).toEqual([
      'model.p.a => success in 1.23s, 1 row affected',
      'model.p.v => success in 0.10s',
      'test.p.t => fail in 0.50s (2 failures)',
    ]);
    expect(failureDetail(results)).toBe('dbt reported test.p.t => fail (2 failures): Got 2 results');
    expect(failureDetail(results.slice(0, 2))).toBeUndefined();
    expect(() => parseRunResults('{"metadata": {}}')).toThrow('no `results` list');
  });
});
