/** The database helper itself: a database per test file, dropped after. */
import pg from 'pg';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { createMysqlDatabase, createPostgresDatabase } from './databases.js';

const postgres = await createPostgresDatabase('helper');
const maria = await createMysqlDatabase('helper');

describe.skipIf(!postgres.available)(`PostgreSQL test databases ${postgres.reason}`, () => {
  it('creates a database that answers, and drops it', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    expect((await client.query('select current_database() as db')).rows[0]).toEqual({ db: postgres.name });
    await client.end();
    await postgres.drop();
    const admin = new pg.Client({ connectionString: postgres.url.replace(postgres.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('select 1 from pg_database where datname = $1', [postgres.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});

describe.skipIf(!maria.available)(`MySQL test databases ${maria.reason}`, () => {
  it('creates a database that answers, and drops it', async () => {
    const conn = await mysql.createConnection({ uri: maria.url });
    const [rows] = await conn.query('select database() as db');
    expect(rows).toEqual([{ db: maria.name }]);
    await conn.end();
    await maria.drop();
  });
});
