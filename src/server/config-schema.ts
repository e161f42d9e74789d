/**
 * The shape of one layer of server configuration (the YAML file, the environment or the command
 * line): every setting optional, each checked on its own so an error names the setting and the
 * layer it came from. `config.ts` merges the layers and fills the defaults.
 */
import { parseIsoDuration } from '../flow/duration.js';
import { z } from 'zod';
import { MEMORY_MODES } from '../memory-mode.js';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses a size: a number of bytes, or text such as `10MB`, `512 KiB`, `1GB`; undefined when it is not one. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes > 0 ? bytes : undefined;
}

const size = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a size in bytes or with a unit (10MB, 512KiB, 1GB), got \`${String(value)}\``,
    });
    return z.NEVER;
  }
  return bytes;
});

/** An integer, also given as text (environment variables and options are text). */
const integer = (min: number, max: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(number) || number < min || number > max) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an integer from ${min} to ${max}, got \`${String(value)}\``,
      });
      return z.NEVER;
    }
    return number;
  });

/** An ISO-8601 duration (PT2S) or milliseconds, as milliseconds (at least 100). */
const duration = (what: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const ms =
      typeof value === 'number'
        ? value
        : /^\s*\d+\s*$/.test(value)
          ? Number(value)
          : parseIsoDuration(value.trim());
    if (ms === undefined || !Number.isFinite(ms) || ms < 100) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what}: an ISO-8601 duration such as PT30S, or milliseconds (100 or more)`,
      });
      return z.NEVER;
    }
    return ms;
  });

const text = (what: string) =>
  z.string({ error: `expected ${what} (text)` }).min(1, { error: `expected ${what}, got an empty value` });

const timezone = text('an IANA time zone such as Europe/Paris').refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `unknown time zone \`${String(issue.input)}\` (expected an IANA name such as Europe/Paris)`,
  },
);

const httpUrl = text('an http(s) URL').refine((value) => /^https?:\/\/[^/\s]+/i.test(value), {
  error: (issue) =>
    `expected an http(s) URL such as https://windhover.example.com, got \`${String(issue.input)}\``,
});

/** An API endpoint such as an emulator's: `http://127.0.0.1:4443` (a bare `host:port` means http). */
const endpoint = text('an http(s) URL').refine(
  (value) => /^(https?:\/\/)?[^/\s:]+(:\d+)?(\/\S*)?$/i.test(value),
  {
    error: (issue) => `expected an http(s) URL such as http://127.0.0.1:4443, got \`${String(issue.input)}\``,
  },
);

const storeUrl = text('a store URL').refine((value) => /^(sqlite|postgres|postgresql):/i.test(value), {
  // The value is not echoed: a store URL may carry a password.
  error: 'expected a store URL such as sqlite:///var/lib/windhover/windhover.db or postgres://host:5432/db',
});

const paths = z
  .union([text('a folder'), z.array(text('a folder'))])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** One layer of configuration; unknown keys are errors (a typo must not be silently ignored). */
export const configLayerSchema = z.strictObject({
  server: z
    .strictObject({
      host: text('a host name or IP address').optional(),
      port: integer(0, 65535).optional(),
      publicUrl: httpUrl.optional(),
      maxBodySize: size.optional(),
      maxUploadSize: size.optional(),
      memory: z
        .enum(MEMORY_MODES, {
          error: (issue) => `expected lean or fast, got \`${String(issue.input)}\``,
        })
        .optional(),
      auth: z
        .strictObject({
          username: text('a user name').optional(),
          password: text('a password').optional(),
        })
        .optional(),
    })
    .optional(),
  data: text('a folder').optional(),
  store: z.strictObject({ url: storeUrl.optional(), poolSize: integer(1, 1000).optional() }).optional(),
  storage: z.strictObject({ url: text('a storage URL').optional() }).optional(),
  worker: z.strictObject({ concurrency: integer(1, 10_000).optional() }).optional(),
  cluster: z
    .strictObject({
      heartbeatInterval: duration('a heartbeat interval').optional(),
      memberTimeout: duration('a member timeout').optional(),
    })
    .optional(),
  flows: z.strictObject({ paths: paths.optional() }).optional(),
  timezone: timezone.optional(),
  gcp: z
    .strictObject({ storageEndpoint: endpoint.optional(), bigqueryEndpoint: endpoint.optional() })
    .optional(),
  ai: z
    .strictObject({
      geminiBaseUrl: endpoint.optional(),
      openaiBaseUrl: endpoint.optional(),
      anthropicBaseUrl: endpoint.optional(),
    })
    .optional(),
});

/** A layer as validated (sizes in bytes, ports as numbers, paths as lists). */
export type ConfigLayer = z.output<typeof configLayerSchema>;

/** A layer as written (file, environment or options), before validation. */
export type ConfigLayerInput = z.input<typeof configLayerSchema>;
