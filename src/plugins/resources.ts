/** What plugins keep open between tasks, to close when a process shuts down. */
import { closeAllPools } from './jdbc/run/pools.js';

/**
 * Closes what plugins keep open between tasks (database connection pools), for a process
 * that is shutting down: idle pools would otherwise hold it open until their idle timeout.
 */
export async function closePluginResources(): Promise<void> {
  await closeAllPools();
}
