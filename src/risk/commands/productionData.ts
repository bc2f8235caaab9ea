/**
 * Production data: a database client pointed at a server or URL that names production (`-h
 * prod-db.internal`, `postgres://…@db.production…`) that changes data, or runs SQL nobody can see,
 * and the dump tools that copy its data out. Destructive statements are judged everywhere
 * (infra.ts); here an ordinary write is enough, because it lands on production.
 */
import type { Call, Handler } from '../call.js';
import { UNKNOWN_OUTPUT, namesProduction } from './support.js';

/** Statements that change data, schema or privileges (SQL, Redis commands, MongoDB shell methods). */
const DATA_CHANGE = [
  /\b(?:insert\s+into|update\s+[\w."`[\]]+\s+set|delete\s+from|merge\s+into|replace\s+into|upsert\s+into|truncate|alter\s+\w+|create\s+\w+|drop\s+\w+|grant\s|revoke\s|copy\s+[\w."]+\s+from|call\s+\w+|exec(?:ute)?\s+\w+)/i,
  /^\s*(?:del|unlink|set\w*|mset\w*|hset\w*|hdel|hmset|lpush|rpush|lpop|rpop|lrem|ltrim|sadd|srem|zadd|zrem\w*|expire\w*|persist|rename\w*|flush\w*|config|eval\w*|script|restore|migrate|swapdb|move|copy|incr\w*|decr\w*|append|getdel|getset)\b/im,
  /\.(?:insert\w*|update\w*|delete\w*|replace\w*|drop\w*|remove|bulkWrite|rename\w*|findOneAnd\w+|createIndex|dropIndex\w*)\s*\(/,
];

/** True when the client's command line names production. */
export function onProduction(call: Call): boolean {
  return namesProduction(call.args);
}

/** Judge SQL (or a client's commands) a database client runs: on production, a change of data needs a human. */
export function judgeProductionSql(call: Call, text: string, what: string): void {
  if (!onProduction(call)) return;
  if (DATA_CHANGE.some((re) => re.test(text))) call.exec.run.add('infra.production-data', `${what} changes data on a production database`);
}

/** A client on production running SQL that cannot be inspected (a file or stdin whose content is unknown). */
export function judgeUnseenProductionSql(call: Call, what: string): void {
  if (onProduction(call)) call.exec.run.add('infra.production-data', `${what} runs SQL that cannot be inspected against a production database`);
}

/** `pg_dump`, `mysqldump`, `mongodump`…: production data copied out of the database. */
const dump: Handler = (call) => {
  if (onProduction(call)) call.exec.run.add('infra.production-data', `${call.program} copies the data of a production database out of it`);
  return UNKNOWN_OUTPUT;
};

/** Dump and export tools, by program name. */
export const PRODUCTION_DUMP_HANDLERS: Record<string, Handler> = {
  pg_dump: dump, pg_dumpall: dump, mysqldump: dump, mariadb_dump: dump, 'mariadb-dump': dump, mongodump: dump, mongoexport: dump,
};
