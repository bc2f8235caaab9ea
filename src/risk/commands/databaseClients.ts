/**
 * Database clients (psql, mysql, sqlite3, mongosh, redis-cli, …) and the SQL they are given inline, by
 * file, on stdin or in an interactive session; dropping databases, restores that drop first, and
 * key-value stores emptied by prefix.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { judgeRead } from '../pathRules.js';
import { inWorkspace, isTemp, protectedKind } from '../pathZones.js';
import type { ShellWord } from '../shellValue.js';
import { runClientEscapes } from './clientEscapes.js';
import { judgeProductionSql, judgeUnseenProductionSql } from './productionData.js';
import { UNKNOWN_OUTPUT, display, envValue, pathOf, positionals, runRemote } from './support.js';
import { isLoopbackHost, urlHost } from '../network.js';

/** SQL text judged for destructive statements. */
export function judgeSql(call: Call, sql: string, what: string, opts: { localFile?: boolean; testDatabase?: boolean } = {}): void {
  const run = call.exec.run;
  // a database that is a file in the workspace or a temporary directory: dropping its tables is like deleting the file
  if (opts.localFile) return;
  const s = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  // VAIBOT's own server database (approvals, receipts, keys): writing there is granting approvals or rewriting the record
  if (/vaibot/i.test(call.args.join(' ') + (envValue(call, 'DATABASE_URL') ?? '') + (envValue(call, 'PGDATABASE') ?? '')) && /\b(?:insert|update|delete|drop|alter|truncate|create|replace|merge|grant)\b/i.test(s))
    run.add('self.write-protected', `${what} changes VAIBOT's governance database (approvals, receipts, keys): approvals are human acts and receipts are the record`);
  const dropped = [...s.matchAll(/\bdrop\s+(?:database|schema|keyspace)\s+(?:if\s+exists\s+)?([`"[]?[\w.$-]*)/gi)].map((m) => m[1]!.replace(/^[`"[]/, ''));
  // a local server's test databases are made and dropped by every test run
  const localTest = opts.testDatabase !== undefined && onLocalServer(call);
  if (dropped.length > 0 && !(localTest && dropped.every((n) => isTestDatabaseName(n)))) {
    const dev = dropped.every((n) => isDevDatabaseName(n));
    run.add(dev ? 'infra.sql-drop-dev-database' : 'infra.sql-drop-database', `${what} drops ${dev ? 'the test or development database' : 'a database or schema'} ${dropped.join(', ')}`);
  }
  // in a local test database, emptying tables is what test setups do
  const tables = !(localTest && opts.testDatabase);
  if (tables && /\bdrop\s+(?:table|owned|collection|measurement|series|retention\s+policy|column\s*family|columnfamily)\b|\btruncate\b/i.test(s)) run.add('infra.sql-drop-table', `${what} drops or truncates tables`);
  // no WHERE, or one that holds for every row (`WHERE 1=1`, `WHERE true`)
  const everyRow = (stmt: string): boolean => !/\bwhere\b/i.test(stmt) || /\bwhere\s+(?:\(?\s*(?:1\s*=\s*1|true|'([^']*)'\s*=\s*'\1'|(\d+)\s*=\s*\2)\s*\)?)\s*(?:;|$|--)/i.test(stmt);
  for (const m of s.matchAll(/\bdelete\s+from\s+[^;]*?(?=;|$)/gis)) if (tables && everyRow(m[0])) run.add('infra.sql-drop-table', `${what} deletes every row of a table`);
  for (const m of s.matchAll(/\bupdate\s+[\w."`[\]]+\s+set\s[^;]*?(?=;|$)/gis)) if (tables && everyRow(m[0])) run.add('infra.sql-drop-table', `${what} overwrites a column in every row of a table`);
  if (/\balter\s+table\b[^;]*\bdrop\s+(?:column\b|constraint\b|(?!partition|index)[\w"`]+\s*(?:;|$|,))/i.test(s)) run.add('infra.sql-drop-table', `${what} drops a column (its data with it)`);
  if (/\bdropDatabase\s*\(/.test(s)) {
    // the database a MongoDB URI names (`mongodb://localhost/app_test`)
    const db = call.args.map((x) => /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?/]+)/.exec(x)?.[1]).find((x) => x !== undefined);
    const dev = db !== undefined && isDevDatabaseName(db);
    run.add(dev ? 'infra.sql-drop-dev-database' : 'infra.sql-drop-database', `${what} drops ${dev ? `the test or development database ${db}` : 'a database'}`);
  }
  if (/\.drop\s*\(\s*\)|\.deleteMany\s*\(\s*\{\s*\}\s*\)/.test(s)) run.add('infra.sql-drop-table', `${what} drops a collection or deletes every document`);
  if (/\bflush(?:all|db)\b/i.test(s)) run.add('infra.nosql-flush', `${what} flushes a key-value store`);
  // PostgreSQL's COPY … TO/FROM PROGRAM runs a shell command on the database's host
  for (const m of s.matchAll(/\bcopy\b[^;]*?\b(?:to|from)\s+program\s+(?:E?'((?:[^']|'')*)'|\$\$([\s\S]*?)\$\$)/gi)) {
    const cmd = (m[1] ?? m[2] ?? '').replace(/''/g, "'");
    run.add('net.remote-shell', `${what} runs a shell command on the database's host (COPY … PROGRAM ${JSON.stringify(cmd.slice(0, 80))})`);
    runRemote(call, cmd, '/', `${what} COPY … PROGRAM`);
  }
  // stopping the server without saving loses what was not yet written out
  if (/^\s*shutdown\s+nosave\b|\bdebug\s+(?:segfault|crash-and-recover)\b/im.test(s)) run.add('infra.nosql-flush', `${what} stops the server without saving its data`);
  if (/\bdb\.createUser\s*\([\s\S]*\broles\s*:\s*\[[^\]]*\b(?:root|userAdminAnyDatabase|dbOwner|clusterAdmin)\b/.test(s)) run.add('infra.access-grant', `${what} creates a database user with administrative roles`);
  if (/\.dropAll(?:Users|Roles)\s*\(/.test(s)) run.add('infra.sql-drop-table', `${what} removes every user or role of a database`);
  // privileges and passwords: who may do what in the database
  if (/\bgrant\s+(?:all\b|[\w\s,]*\b(?:superuser|super|admin|owner)\b)|\b(?:alter|create)\s+(?:user|role)\b[^;]*\b(?:password|superuser|createrole|bypassrls)\b|\bset\s+password\b/i.test(s))
    run.add('infra.access-grant', `${what} grants database privileges or sets a password`);
  // Redis writing its dump file into another directory: a known way to plant SSH keys or cron jobs
  if (/\bconfig\s+set\s+(?:dir|dbfilename)\b/i.test(s)) run.add('infra.access-grant', `${what} makes the server write its data file elsewhere (a known way to plant keys or cron jobs)`);
}

/** The words of a database name (`shop_development_2` -> shop, development, 2). */
function nameParts(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** A database named for tests (`app_test`, `test_db`, `e2e`), and not for production. */
export function isTestDatabaseName(name: string): boolean {
  const parts = nameParts(name);
  return parts.some((p) => /^(?:test|tests|testing|spec|e2e|ci)$/.test(p)) && !parts.some((p) => /^(?:prod|production|live|staging|stage|main|master|primary|backup|dev|development)$/.test(p));
}

/** Options of database clients whose value names the server's host. */
const HOST_OPTION = /^(?:-h|--host)$/;

/** The client talks to this machine's server: no host, a loopback one, a socket directory, or a URL on loopback. */
function onLocalServer(call: Call): boolean {
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    const host = HOST_OPTION.test(t) ? a[i + 1] : t.startsWith('--host=') ? t.slice(7) : /^-h\S/.test(t) ? t.slice(2) : undefined;
    if (host !== undefined && !isLoopbackHost(host) && !host.startsWith('/')) return false;
    const url = /^[a-z][a-z0-9+]*:\/\//i.test(t) ? urlHost(t) : null;
    if (url !== null && !isLoopbackHost(url)) return false;
  }
  const env = envValue(call, 'PGHOST') ?? envValue(call, 'MYSQL_HOST');
  return env === undefined || isLoopbackHost(env) || env.startsWith('/');
}

/** The database a client connects to, by option, URL or (psql, mysql) first operand. */
function clientDatabase(call: Call): string | undefined {
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    if (/^(?:-d|--dbname|-D|--database)$/.test(t)) return a[i + 1];
    const eq = /^--(?:dbname|database)=(.+)$/.exec(t);
    if (eq) return eq[1];
    const url = /^[a-z][a-z0-9+]*:\/\/[^/]+\/([^?/\s]+)/i.exec(t);
    if (url) return decodeURIComponent(url[1]!);
  }
  if (/^(?:psql|mysql|mariadb)$/.test(call.program)) return positionals(a, /^-(?:h|p|U|u|P|c|e|f|S|-host|-port|-username|-user|-password|-command|-execute|-file|-socket|v|-set|o|-output)$/)[0];
  return envValue(call, 'PGDATABASE');
}

/** True when a database name marks it as a test or development one (`app_test`, `dev`, `shop_development_2`), and nothing in it says production. */
export function isDevDatabaseName(name: string): boolean {
  const parts = nameParts(name);
  return parts.some((p) => /^(?:test|tests|testing|spec|dev|development|local|ci|tmp|temp|scratch|sandbox|e2e)$/.test(p)) && !parts.some((p) => /^(?:prod|production|live|staging|stage|main|master|primary|backup)$/.test(p));
}

/** SQL (and the client's own commands) given to a database client. */
function judgeClient(call: Call, text: string, what: string): void {
  const db = clientDatabase(call);
  judgeSql(call, text, what, { localFile: localDatabaseFile(call), testDatabase: db !== undefined && isTestDatabaseName(db) });
  judgeProductionSql(call, text, what);
  runClientEscapes(call, text, what);
}

/**
 * `sqlite3 FILE` / `duckdb FILE` on a scratch database: in a temporary directory, or in the workspace
 * under a test or scratch name (`tmp/test.db`, `fixtures/dev.sqlite`). A project's own `app.db` may
 * hold real data and is not one.
 */
function localDatabaseFile(call: Call): boolean {
  if (call.program !== 'sqlite3' && call.program !== 'duckdb') return false;
  const db = positionals(call.args, /^-(?:cmd|separator|newline|nullvalue|init)$/)[0];
  if (!db || db === ':memory:') return false;
  const ref = pathOf(call, db);
  const z = call.exec.run.zones;
  if (ref === null || protectedKind(ref.real, z)) return false;
  if (isTemp(ref.real)) return true;
  if (z.workspace === null || !inWorkspace(ref.real, z)) return false;
  const rel = ref.real.slice(z.workspace.length);
  return (isDevDatabaseName(posix.basename(rel).replace(/\.[^.]*$/, '')) || /\/(?:tmp|temp|test|tests|fixtures|testdata|scratch)\//.test(rel));
}

/** The text of a file a client reads (`-f FILE`, `-f <(…)`), when it can be known. */
function clientFileText(call: Call, word: ShellWord | undefined): string | undefined {
  const run = call.exec.run;
  if (!word) return undefined;
  const src = word.procSub;
  if (src?.kind === 'text') return src.text;
  const path = src?.kind === 'file' ? src.path : src ? null : word.text;
  if (path === null) return undefined;
  const ref = pathOf(call, path);
  if (!src) judgeRead(run, ref, { verb: call.program });
  const c = ref ? run.contentOf(ref.path) : undefined;
  return c?.kind === 'text' ? c.text : undefined;
}

/** Database clients: SQL given inline, by file, on stdin, or an interactive session. */
function dbClient(inline: RegExp, fileOpt: RegExp): Handler {
  return (call) => {
    const run = call.exec.run;
    const a = call.args;
    let ran = false;
    for (let i = 0; i < a.length; i++) {
      const t = a[i]!;
      const eq = t.indexOf('=');
      const key = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
      if (inline.test(key)) {
        const v = t.startsWith('--') && eq > 0 ? t.slice(eq + 1) : key !== t ? t.slice(key.length) : a[++i] ?? '';
        judgeClient(call, v, call.program);
        ran = true;
      } else if (/^-[ce]./.test(t) && inline.test(t.slice(0, 2))) {
        judgeClient(call, t.slice(2), call.program);
        ran = true;
      } else if (fileOpt.test(key)) {
        const word = t.startsWith('--') && eq > 0 ? { ...call.argWords[i]!, text: t.slice(eq + 1) } : call.argWords[++i];
        const text = clientFileText(call, word);
        if (text !== undefined) judgeClient(call, text, `${call.program} -f ${display(word?.text ?? '')}`);
        else judgeUnseenProductionSql(call, `${call.program} -f ${display(word?.text ?? '')}`);
        ran = true;
      }
    }
    if (call.program === 'sqlite3' || call.program === 'duckdb') {
      const ops = positionals(a, /^-(?:cmd|separator|newline|nullvalue|init)$/);
      const db = ops[0];
      if (db) {
        const ref = pathOf(call, db);
        // opening the database reads it (a credentials store among them: gcloud's, a browser's cookies)
        if (db !== ':memory:') judgeRead(run, ref, { verb: call.program });
        const sqlText = ops.slice(1).join(' ');
        // only plain queries and listing dot-commands leave the file alone (`.read`, `.import`, `.restore` run or load anything)
        const readOnly = /^\s*(?:select\b|with\b|explain\b|\.(?:tables|schema|dump|indexes|indices|headers|mode|dbinfo|databases|show)\b)/i.test(sqlText) &&
          !/\b(?:insert|update|delete|drop|alter|create|replace|vacuum|attach|pragma)\b|^\s*\.(?:read|import|restore|load|shell|system)\b/im.test(sqlText);
        const writes = !readOnly || call.stdin.kind !== 'terminal';
        if (ref && (protectedKind(ref.real, run.zones) || protectedKind(ref.path, run.zones)) && writes)
          run.add('self.write-protected', `${call.program} opens ${display(db)}, a database VAIBOT relies on, for writing`);
      }
      if (ops.length > 1) {
        judgeClient(call, ops.slice(1).join(' '), call.program);
        ran = true;
      }
    }
    if (call.program === 'redis-cli') {
      const ops = positionals(a, /^-(?:h|p|a|n|u|s|r|i|d|-user|-pass)$/);
      if (ops.length > 0) {
        judgeSql(call, ops.join(' '), 'redis-cli');
        judgeProductionSql(call, ops.join(' '), 'redis-cli');
        ran = true;
      }
    }
    if (ran || a.some((x) => /^(?:-l|--list|--version|-V|--help|-\?)$/.test(x))) return UNKNOWN_OUTPUT;
    if (call.stdin.kind === 'text') {
      judgeClient(call, call.stdin.text, `${call.program} (stdin)`);
      return UNKNOWN_OUTPUT;
    }
    if (call.stdin.kind === 'file') {
      const c = call.stdin.path ? run.contentOf(call.stdin.path) : undefined;
      if (c?.kind === 'text') judgeClient(call, c.text, `${call.program} < ${call.stdin.path}`);
      else judgeUnseenProductionSql(call, `${call.program} < ${call.stdin.path ?? 'a file'}`);
      return UNKNOWN_OUTPUT;
    }
    if (call.stdin.kind === 'unknown') {
      judgeUnseenProductionSql(call, `${call.program} reading stdin`);
      return UNKNOWN_OUTPUT;
    }
    run.add('exec.interactive', `${call.program} without a command opens an interactive session: queries sent with write_stdin are not governed`);
    return UNKNOWN_OUTPUT;
  };
}

/** `dropdb`, `mysqladmin drop`. */
const dropdb: Handler = (call) => {
  const ops = positionals(call.args, /^-(?:h|p|U|-host|-port|-username|-maintenance-db|u|P|S|-user|-password|-socket)$/);
  const k = ops.findIndex((x) => /^drop$/i.test(x));
  if (call.program !== 'dropdb' && k < 0) return UNKNOWN_OUTPUT;
  const names = call.program === 'dropdb' ? ops.slice(0, 1) : ops.slice(k + 1, k + 2);
  // a local server's test database is made and dropped by every test run
  if (names.length > 0 && names.every((n) => isTestDatabaseName(n)) && onLocalServer(call)) return UNKNOWN_OUTPUT;
  const dev = names.length > 0 && names.every((n) => isDevDatabaseName(n));
  call.exec.run.add(dev ? 'infra.sql-drop-dev-database' : 'infra.sql-drop-database', `${call.program} drops ${dev ? 'the test or development database ' : 'the database '}${names.map(display).join(' ')}`);
  return UNKNOWN_OUTPUT;
};

/** Key-value stores: deleting every key (an empty or root prefix) drops the store; a prefix needs approval. */
const kvStore: Handler = (call) => {
  const a = call.args;
  const ops = positionals(a, /^-{1,2}(?:endpoints|user|password|cacert|cert|key|http-addr|token|datacenter|namespace|partition|ca-file|client-cert|client-key|command-timeout|dial-timeout)$/);
  const [s0, s1] = ops;
  const del = call.program === 'etcdctl' ? /^(?:del|rm)$/.test(s0 ?? '') : s0 === 'kv' && s1 === 'delete';
  if (!del) return UNKNOWN_OUTPUT;
  const key = (call.program === 'etcdctl' ? ops[1] : ops[2]) ?? '';
  const all = a.some((x) => /^-{1,2}(?:prefix|recurse|from-key)$/.test(x));
  if (all && /^\/?$/.test(key)) call.exec.run.add('infra.sql-drop-database', `${call.program} ${ops.join(' ')} deletes every key in the store`);
  else if (all) call.exec.run.add('infra.nosql-flush', `${call.program} deletes every key under ${display(key)}`);
  return UNKNOWN_OUTPUT;
};

/** `pg_restore --clean`, `mongorestore --drop`: the restored objects are dropped first, with whatever data they held. */
const restoreOverwrites: Handler = (call) => {
  const a = call.args;
  const drops = call.program === 'mongorestore' ? a.includes('--drop') : a.some((x) => x === '--clean' || /^-[a-zA-Z]*c[a-zA-Z]*$/.test(x));
  if (drops) call.exec.run.add('infra.sql-drop-table', `${call.program} ${call.program === 'mongorestore' ? '--drop' : '--clean'} drops the existing tables or collections before restoring them`);
  return UNKNOWN_OUTPUT;
};

/** Database client handlers, by program name. */
export const DATABASE_HANDLERS: Record<string, Handler> = {
  pg_restore: restoreOverwrites, mongorestore: restoreOverwrites,
  psql: dbClient(/^(?:-c|--command)$/, /^(?:-f|--file)$/),
  mysql: dbClient(/^(?:-e|--execute)$/, /^$/),
  mariadb: dbClient(/^(?:-e|--execute)$/, /^$/),
  sqlite3: dbClient(/^-cmd$/, /^-init$/),
  duckdb: dbClient(/^-c$/, /^-init$/),
  sqlcmd: dbClient(/^(?:-q|-Q)$/, /^-i$/),
  'clickhouse-client': dbClient(/^(?:-q|--query)$/, /^--queries-file$/),
  cqlsh: dbClient(/^(?:-e|--execute)$/, /^(?:-f|--file)$/),
  mongosh: dbClient(/^--eval$/, /^--file$/),
  mongo: dbClient(/^--eval$/, /^$/),
  'redis-cli': dbClient(/^$/, /^$/),
  dropdb, mysqladmin: dropdb,
  etcdctl: kvStore, consul: kvStore,
  cockroach: dbClient(/^(?:-e|--execute)$/, /^(?:-f|--file)$/),
  snowsql: dbClient(/^(?:-q|--query)$/, /^(?:-f|--filename)$/),
};
