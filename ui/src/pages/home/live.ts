/** How often the home page asks again: live enough to see a run start and end, cheap for the server (one grouped query each). */
export const LIVE_MS = 5_000;
