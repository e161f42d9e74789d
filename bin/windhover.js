#!/usr/bin/env node
// The `windhover` command. The TypeScript sources are compiled to dist/ by `npm run build`,
// which `npm ci` / `npm install` run through the `prepare` script.
import { existsSync, readFileSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('windhover: dist/ is missing; run `npm run build` (npm ci does it for you)\n');
  process.exit(2);
}
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // Answered without loading the command line (commander and every command's options).
  const { exitQuietlyOnClosedPipe } = await import(new URL('../dist/cli/output.js', import.meta.url).href);
  exitQuietlyOnClosedPipe();
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  if (args[0] === 'server') {
    // Before the command line loads: see src/memory-mode.ts (the server re-applies its configured mode).
    const { applyMemoryMode } = await import(new URL('../dist/memory-mode.js', import.meta.url).href);
    applyMemoryMode('lean');
  }
  const { main } = await import(entry.href);
  await main(process.argv);
}
