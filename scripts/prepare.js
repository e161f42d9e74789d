// The `prepare` script: builds dist/ (server and CLI) and dist/ui (web UI) after `npm ci` or
// `npm install` in a clone, and before `npm pack`.
//
// npm also runs `prepare` when `npx windhover` is typed in a clone: npx links the package into its
// own cache (~/.npm/_npx) on first use and "prepares" the link target, which is this very clone.
// A full build there costs 20-30 s of silence before the command starts, and rebuilds nothing
// `npm ci` has not just built, so under npx (npm_command=exec) an existing build is kept.
// Plain JavaScript: it runs before anything is compiled and without tsx.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const built = ['../dist/cli/main.js', '../dist/ui/index.html'].every((file) =>
  existsSync(new URL(file, import.meta.url)),
);
if (process.env.npm_command === 'exec' && built) process.exit(0);

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
