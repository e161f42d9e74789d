/**
 * The course's monthly taxi files without the network: a folder holding the `wget` stand-in
 * (`bin/wget`, copied from this folder) and gzipped months of synthetic trips under
 * `files/github.com/DataTalksClub/nyc-tlc-data/releases/download/<taxi>/<file>.csv.gz`, where the
 * course flows' `wget -qO- https://github.com/…` finds them once `bin` is first on PATH.
 * Script tasks may run as another user: the folder and everything in it is world-readable.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const GENERATOR = join(HERE, '..', '..', 'fixtures', 'make-taxi-csv.mjs');
const RELEASES = join('github.com', 'DataTalksClub', 'nyc-tlc-data', 'releases', 'download');

export type Taxi = 'yellow' | 'green';

/** A month to serve: colour, `YYYY-MM` and how many trips. */
export interface TaxiMonth {
  taxi: Taxi;
  month: string;
  rows: number;
}

export interface TaxiFiles {
  /** The folder to put first on the script tasks' PATH. */
  binDir: string;
  /** `PATH` with `binDir` first. */
  path: string;
  /** The gzipped file of a month. */
  fileOf(taxi: Taxi, month: string): string;
  /** Makes one more month (as `start` does). */
  add(month: TaxiMonth): Promise<void>;
  remove(): void;
}

/** The file name the course gives a month: `yellow_tripdata_2019-01.csv`. */
export function monthFile(taxi: Taxi, month: string): string {
  return `${taxi}_tripdata_${month}.csv`;
}

/** Runs the generator into a gzip file (it gzips with `--gz`). */
function generate({ taxi, month, rows }: TaxiMonth, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GENERATOR, taxi, month, String(rows), '--gz'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const out = createWriteStream(target, { mode: 0o644 });
    child.stdout.pipe(out);
    child.on('error', reject);
    let code: number | null | undefined;
    const done = () => {
      if (code === undefined || !out.closed) return;
      if (code === 0) resolve();
      else reject(new Error(`make-taxi-csv.mjs ${taxi} ${month} ${rows} exited ${code}`));
    };
    child.on('close', (exit) => {
      code = exit;
      done();
    });
    out.on('close', done);
    out.on('error', reject);
  });
}

/** A fresh folder serving the given months through the `wget` stand-in. */
export async function startTaxiFiles(months: readonly TaxiMonth[]): Promise<TaxiFiles> {
  const root = mkdtempSync(join(tmpdir(), 'wh-taxi-files-'));
  chmodSync(root, 0o755);
  const binDir = join(root, 'bin');
  mkdirSync(binDir, { mode: 0o755 });
  copyFileSync(join(HERE, 'wget'), join(binDir, 'wget'));
  chmodSync(join(binDir, 'wget'), 0o755);
  const fileOf = (taxi: Taxi, month: string) =>
    join(root, 'files', RELEASES, taxi, `${monthFile(taxi, month)}.gz`);
  const add = async (month: TaxiMonth) => {
    mkdirSync(join(root, 'files', RELEASES, month.taxi), { recursive: true, mode: 0o755 });
    await generate(month, fileOf(month.taxi, month.month));
  };
  await Promise.all(months.map(add));
  return {
    binDir,
    path: [binDir, process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
    fileOf,
    add,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
