/** JDBC URLs, as flows write them, taken apart for Node drivers. */
import { TaskFailure } from '../../api.js';
import { DATABASES, JDBC_DATABASE_KEYS, shown } from '../common.js';
import type { JdbcDatabase } from '../common.js';

/** The parts of a JDBC URL. */
export interface JdbcUrl {
  database: JdbcDatabase;
  /** Server databases: the host (IPv6 without brackets); absent for a file or memory database. */
  host?: string;
  port?: number;
  /** Server databases: the database name (may be empty); SQLite/DuckDB: the file path, `:memory:` or empty. */
  path: string;
  /** `?key=value` options (`sslmode`, `user`, `password`…), decoded. */
  params: Record<string, string>;
  /** A user and password written in the URL (`//user:pass@host`), when present. */
  user?: string;
  password?: string;
}

function malformed(url: string, why: string, database?: JdbcDatabase): TaskFailure {
  const examples = database
    ? `\`${DATABASES[database].exampleUrl}\``
    : JDBC_DATABASE_KEYS.map((db) => `\`${DATABASES[db].exampleUrl}\``).join(', ');
  return new TaskFailure(`Property \`url\`: \`${shown(url)}\` ${why}; write it like ${examples}`);
}

function queryParams(query: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return params;
}

/** A server URL (`jdbc:postgresql://host:port/db?…`, `jdbc:postgresql:db`). */
function parseServerUrl(url: string, database: JdbcDatabase, rest: string): JdbcUrl {
  if (!rest.startsWith('//')) {
    // `jdbc:postgresql:db` (PostgreSQL's short form): localhost, default port.
    const [name = '', query = ''] = rest.split('?', 2);
    if (name === '' || name.includes('/')) throw malformed(url, 'has no `//host`', database);
    return { database, host: 'localhost', path: decodeURIComponent(name), params: queryParams(query) };
  }
  let parsed: URL;
  try {
    // A non-special scheme: the WHATWG parser keeps host, port, path and query as written.
    parsed = new URL(`jdbc-${database}:${rest}`);
  } catch {
    throw malformed(url, 'is not a valid URL', database);
  }
  if (parsed.host.includes(',') || rest.slice(2).split(/[/?]/, 1)[0]!.includes(','))
    throw malformed(url, 'lists several hosts, which Windhover does not support; give one host', database);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  let port: number | undefined;
  if (parsed.port !== '') port = Number(parsed.port);
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (path.includes('/')) throw malformed(url, `names the database \`${path}\`, which has a \`/\``, database);
  return {
    database,
    host,
    ...(port !== undefined ? { port } : {}),
    path,
    params: queryParams(parsed.search),
    ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
  };
}

/** A file URL (`jdbc:sqlite:/path/file.db`, `jdbc:sqlite::memory:`, `jdbc:duckdb:`). */
function parseFileUrl(database: JdbcDatabase, rest: string): JdbcUrl {
  const mark = rest.indexOf('?');
  const path = mark === -1 ? rest : rest.slice(0, mark);
  const params = mark === -1 ? {} : queryParams(rest.slice(mark + 1));
  // `jdbc:sqlite://path` is sometimes written for an absolute path: `//` then the path.
  return { database, path: path.startsWith('///') ? path.slice(2) : path, params };
}

/**
 * Takes a JDBC URL apart: `jdbc:postgresql://host:port/db?sslmode=…`, `jdbc:mysql://…` or
 * `jdbc:mariadb://…`, `jdbc:sqlite:/path/file.db` (or relative, or `:memory:`), `jdbc:duckdb:`
 * (in memory) or `jdbc:duckdb:/path/file.duckdb`. A malformed URL fails with an example.
 */
export function parseJdbcUrl(url: string): JdbcUrl {
  const text = url.trim();
  for (const database of JDBC_DATABASE_KEYS) {
    for (const prefix of DATABASES[database].prefixes) {
      if (!text.toLowerCase().startsWith(prefix)) continue;
      const rest = text.slice(prefix.length);
      if (database === 'sqlite' || database === 'duckdb') return parseFileUrl(database, rest);
      return parseServerUrl(text, database, rest);
    }
  }
  throw malformed(
    url,
    'is not a JDBC URL of a supported database (PostgreSQL, MySQL/MariaDB, SQLite, DuckDB)',
  );
}
