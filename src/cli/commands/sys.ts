/**
 * `windhover sys migrate`: brings a store's schema up to this version's and stops, so that an
 * operator can migrate before rolling out new processes (they also migrate at start, under a
 * lock: two at once means one waits).
 */
import type { Command } from 'commander';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import { redactUrl } from '../../redact-url.js';
import { out } from '../output.js';

interface MigrateOptions {
  storeUrl?: string;
}

/** Opens the store a URL names (which migrates it) and closes it; returns the schema version. */
async function migrateStore(url: string): Promise<number> {
  const { parseStoreUrl } = await import('../../server/open-store.js');
  const location = parseStoreUrl(url);
  if (location.kind === 'postgres') {
    const { MIGRATIONS, openPostgresStore } = await import('../../store/postgres/index.js');
    await (await openPostgresStore(location.url, { poolSize: 1 })).close();
    return MIGRATIONS.at(-1)?.version ?? 0;
  }
  const { MIGRATIONS, openSqliteStore } = await import('../../store/sqlite/index.js');
  await (await openSqliteStore(location.path)).close();
  return MIGRATIONS.at(-1)?.version ?? 0;
}

/** Registers `windhover sys migrate`. */
export function registerSys(program: Command): void {
  program
    .command('sys')
    .description('Operations on a deployment')
    .command('migrate')
    .description("Migrate a store's schema to this version of Windhover, then exit")
    .option(
      '--store-url <url>',
      'the store: postgres://user@host:5432/db or sqlite:///path/to/windhover.db [env WINDHOVER_STORE_URL]',
    )
    .action(async (options: MigrateOptions) => {
      const url = options.storeUrl ?? process.env.WINDHOVER_STORE_URL;
      if (!url)
        throw new WindhoverError(
          ErrorCodes.CONFIG_INVALID,
          '`sys migrate` needs a store: give --store-url or WINDHOVER_STORE_URL',
        );
      const version = await migrateStore(url);
      out(`Store ${redactUrl(url)} is at schema version ${version}`);
    });
}
