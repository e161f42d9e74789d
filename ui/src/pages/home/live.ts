/** How often the home page asks again: live enough to see a run start and end, cheap for the server (one grouped query each). */
export const LIVE_MS = 5_000;

/** The slowest flows cover 7 days: a minute between asks is live enough, and spares the server the heaviest count. */
export const SLOW_LIVE_MS = 60_000;
