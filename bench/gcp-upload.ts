/**
 * Issue 17 benchmark: uploading a 200 MB file to the GCP emulator through Google's official
 * client (`bucket.upload`, resumable, one streamed request) against `cp` of the same file on the
 * same disk. The emulator runs as a child process; its resident memory (VmRSS in
 * /proc/<pid>/status) is sampled during the uploads to show objects are streamed, not buffered.
 *
 * Run: npm run bench:gcp-upload   (BENCH_SIZE_MB and BENCH_RUNS override 200 and 5)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { request } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Storage } from '@google-cloud/storage';

const SIZE_MB = Number(process.env.BENCH_SIZE_MB ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function writeInput(path: string): Promise<void> {
  // Random bytes repeated in 1 MiB blocks: incompressible enough, cheap to make.
  const block = randomBytes(1024 * 1024);
  const out = createWriteStream(path);
  for (let i = 0; i < SIZE_MB; i++) {
    if (!out.write(block)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** A media upload with node:http alone: the emulator's side of the path without any client library. */
async function rawUpload(url: string, input: string, name: string): Promise<void> {
  const target = new URL(
    `/upload/storage/v1/b/bench/o?uploadType=media&name=${encodeURIComponent(name)}`,
    url,
  );
  const done = new Promise<void>((resolve, reject) => {
    const req = request(
      target,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' } },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`upload: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    pipeline(createReadStream(input, { highWaterMark: 1024 * 1024 }), req).catch(reject);
  });
  await done;
}

async function startEmulatorProcess(
  dataDir: string,
): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const code = `
    const { startGcpEmulator } = await import('./src/emulators/gcp/server.ts');
    const emulator = await startGcpEmulator({ port: 0, dataDir: ${JSON.stringify(dataDir)}, quiet: true });
    process.stdout.write('URL ' + emulator.url + '\\n');
    process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /URL (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (exitCode) => reject(new Error(`the emulator exited (${exitCode})`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'wh-bench-gcs-'));
  const input = join(workDir, 'input.bin');
  await writeInput(input);
  const emulator = await startEmulatorProcess(join(workDir, 'emulator'));
  try {
    const storage = new Storage({ apiEndpoint: emulator.url, projectId: 'bench' });
    const [bucket] = await storage.createBucket('bench');
    // Warm-up: loads the emulator's upload path and the file into the page cache.
    await bucket.upload(input, { destination: 'warmup.bin', resumable: true });
    await bucket.file('warmup.bin').delete();
    const baseRss = await rssKiB(emulator.pid);

    const cpMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const target = join(workDir, `cp-${i}.bin`);
      const started = performance.now();
      const result = spawnSync('cp', [input, target]);
      cpMs.push(performance.now() - started);
      if (result.status !== 0) throw new Error(`cp failed: ${result.stderr.toString()}`);
      await rm(target);
    }

    let peakRss = baseRss;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peakRss = Math.max(peakRss, await rssKiB(emulator.pid));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const uploadMs: number[] = [];
    const uploadNoValidationMs: number[] = [];
    const uploadMd5Ms: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      await bucket.upload(input, { destination: `run-${i}.bin`, resumable: true });
      uploadMs.push(performance.now() - started);
      // Without the client's own CRC32C pass over the file (a byte-at-a-time JavaScript loop
      // in @google-cloud/storage 7): the emulator's side of the path alone.
      started = performance.now();
      await bucket.upload(input, { destination: `novalidate-${i}.bin`, resumable: true, validation: false });
      uploadNoValidationMs.push(performance.now() - started);
      // MD5 validation: Node's native hash instead of the client's JavaScript CRC32C.
      started = performance.now();
      await bucket.upload(input, { destination: `md5-${i}.bin`, resumable: true, validation: 'md5' });
      uploadMd5Ms.push(performance.now() - started);
      await bucket.file(`md5-${i}.bin`).delete();
      started = performance.now();
      await rawUpload(emulator.url, input, `raw-${i}.bin`);
      rawMs.push(performance.now() - started);
      await bucket.file(`raw-${i}.bin`).delete();
      await bucket.file(`run-${i}.bin`).delete();
      await bucket.file(`novalidate-${i}.bin`).delete();
    }
    sampling = false;
    await sampler;

    const mbps = (ms: number) => SIZE_MB / (ms / 1000);
    const cp = median(cpMs);
    const upload = median(uploadMs);
    const uploadNoValidation = median(uploadNoValidationMs);
    const raw = median(rawMs);
    const uploadMd5 = median(uploadMd5Ms);
    const round = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
    console.log(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node.js ${process.version}`,
    );
    console.log(`file: ${SIZE_MB} MiB, ${RUNS} runs each, medians`);
    console.log(`| measurement | median | MB/s | runs (ms) |`);
    console.log(`| --- | --- | --- | --- |`);
    console.log(`| cp (baseline) | ${Math.round(cp)} ms | ${mbps(cp).toFixed(0)} | ${round(cpMs)} |`);
    console.log(
      `| bucket.upload, resumable (client validates CRC32C) | ${Math.round(upload)} ms | ${mbps(upload).toFixed(0)} | ${round(uploadMs)} |`,
    );
    console.log(
      `| bucket.upload, resumable, validation: false | ${Math.round(uploadNoValidation)} ms | ${mbps(uploadNoValidation).toFixed(0)} | ${round(uploadNoValidationMs)} |`,
    );
    console.log(
      `| bucket.upload, resumable, validation: 'md5' | ${Math.round(uploadMd5)} ms | ${mbps(uploadMd5).toFixed(0)} | ${round(uploadMd5Ms)} |`,
    );
    console.log(
      `| node:http media upload, no client library | ${Math.round(raw)} ms | ${mbps(raw).toFixed(0)} | ${round(rawMs)} |`,
    );
    console.log(`ratio to cp of the node:http upload: ${((cp / raw) * 100).toFixed(0)} %`);
    console.log(
      `ratio to cp: ${((cp / upload) * 100).toFixed(0)} % with validation, ${((cp / uploadNoValidation) * 100).toFixed(0)} % without`,
    );
    console.log(
      `emulator RSS: ${(baseRss / 1024).toFixed(1)} MiB after warm-up, peak ${(peakRss / 1024).toFixed(1)} MiB during uploads, growth ${((peakRss - baseRss) / 1024).toFixed(1)} MiB`,
    );
  } finally {
    await emulator.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

await main();
