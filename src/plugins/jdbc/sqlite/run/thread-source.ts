/**
 * The code of a SQLite task's worker thread (CommonJS, evaluated by `new Worker(…, { eval })` so
 * it runs the same from sources and from the build). better-sqlite3 is synchronous: on the
 * worker's own thread a long statement would stop every other task and the executor with it.
 *
 * A thread serves one task run at a time and is kept for the next (starting one costs ~25 ms).
 * Messages in: `{ op: 'open', path }`, `{ op: 'run', sql, values, fetchType, batch }`,
 * `{ op: 'more' }` / `{ op: 'stop' }` while rows are read, `{ op: 'exec', sql }`, `{ op: 'close' }`.
 * Messages out: `{ kind: 'done', hasRows }`, `{ kind: 'rows', rows, last }`,
 * `{ kind: 'error', message, code }`.
 */
export const SQLITE_THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let next;
const failed = (error) =>
  parentPort.postMessage({ kind: 'error', message: String(error && error.message || error), code: error && error.code });
const waitForReader = () => new Promise((resolve) => { next = resolve; });
async function run(message) {
  const stmt = db.prepare(message.sql);
  if (!stmt.reader) {
    stmt.run(message.values);
    parentPort.postMessage({ kind: 'done', hasRows: false });
    return;
  }
  stmt.safeIntegers(true);
  const iterator = stmt.iterate(message.values);
  if (message.fetchType === 'NONE') {
    // Run it (up to its first row) without reading the rows.
    iterator.next();
    iterator.return();
    parentPort.postMessage({ kind: 'done', hasRows: true });
    return;
  }
  try {
    let rows = [];
    for (const row of iterator) {
      rows.push(row);
      if (rows.length < message.batch) continue;
      parentPort.postMessage({ kind: 'rows', rows, last: false });
      rows = [];
      if ((await waitForReader()) === 'stop') return;
    }
    parentPort.postMessage({ kind: 'rows', rows, last: true });
  } finally {
    iterator.return();
  }
}
parentPort.on('message', (message) => {
  if (message.op === 'more' || message.op === 'stop') {
    const resolve = next;
    next = undefined;
    if (resolve) resolve(message.op);
    return;
  }
  try {
    if (message.op === 'open') {
      db = new Database(message.path, { timeout: 5000 });
      parentPort.postMessage({ kind: 'done', hasRows: false });
    } else if (message.op === 'run') {
      run(message).catch(failed);
    } else if (message.op === 'exec') {
      // A failed statement may have ended the transaction already (SQLite rolls back on some errors).
      if (message.sql !== 'ROLLBACK' || db.inTransaction) db.exec(message.sql);
      parentPort.postMessage({ kind: 'done', hasRows: false });
    } else if (message.op === 'close') {
      if (db && db.open) db.close();
      db = undefined;
      parentPort.postMessage({ kind: 'done', hasRows: false });
    }
  } catch (error) {
    failed(error);
  }
});
`;
