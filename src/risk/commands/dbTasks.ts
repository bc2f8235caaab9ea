/**
 * Framework and migration-tool tasks that drop, reset or empty a database (`rails db:drop`,
 * `manage.py flush`, `prisma migrate reset`, `flyway clean`, ...), whatever runs them (an
 * interpreter, npx, bundle exec). Outside production they need approval; aimed at production
 * (by environment variable or option) they are denied.
 */
import type { Call } from '../call.js';
import { UNKNOWN } from '../shellValue.js';
import { envValue, langOfProgram } from './support.js';

/** One destructive task: the tool (program or script base name) and the task words. */
interface Task {
  tool: RegExp;
  task: RegExp;
}

const TASKS: Task[] = [
  { tool: /^(?:rails|rake)$/, task: /^db:(?:drop(?::all|:_unsafe)?|reset|purge(?::all)?|truncate_all|migrate:reset|schema:load|seed:replant)$/ },
  { tool: /^(?:manage\.py|django-admin(?:\.py)?)$/, task: /^(?:flush|reset_db|reset_schema|drop_test_database)$|^migrate \S+ zero$/ },
  { tool: /^artisan$/, task: /^(?:migrate:fresh|migrate:reset|migrate:refresh|db:wipe)$/ },
  { tool: /^console$/, task: /^doctrine:(?:database|schema):drop$/ },
  { tool: /^prisma$/, task: /^migrate reset$|^db push .*--(?:force-reset|accept-data-loss)\b/ },
  { tool: /^(?:sequelize|sequelize-cli)$/, task: /^db:drop$|^db:migrate:undo:all$/ },
  { tool: /^typeorm(?:-ts-node-\w+)?$/, task: /^schema:drop$/ },
  { tool: /^knex$/, task: /^migrate:rollback .*--all\b/ },
  { tool: /^(?:alembic|flask)$/, task: /^(?:db )?downgrade base$/ },
  { tool: /^mix$/, task: /^ecto\.(?:drop|reset)$/ },
  { tool: /^dotnet$/, task: /^ef database drop\b/ },
  { tool: /^(?:diesel|sqlx)$/, task: /^database (?:reset|drop)$/ },
  { tool: /^(?:flyway)$/, task: /^clean$/ },
  { tool: /^liquibase$/, task: /^(?:drop-all|dropall)$/i },
  { tool: /^supabase$/, task: /^db reset\b/ },
  { tool: /^goose$/, task: /^reset$/ },
  { tool: /^migrate$/, task: /^drop\b/ },
  { tool: /^dbmate$/, task: /^drop$/ },
];

/** Variables naming the environment a framework runs in. */
const ENV_VARS = ['RAILS_ENV', 'RACK_ENV', 'APP_ENV', 'NODE_ENV', 'MIX_ENV', 'FLASK_ENV', 'DJANGO_ENV', 'ASPNETCORE_ENVIRONMENT', 'DJANGO_SETTINGS_MODULE', 'ENVIRONMENT', 'STAGE'];

/** True when the task is aimed at production (or at a remote, linked database). */
function aimedAtProduction(call: Call, words: readonly string[]): boolean {
  if (ENV_VARS.some((k) => /prod|live/i.test(envValue(call, k) ?? '') || (envValue(call, k) ?? '').includes(UNKNOWN))) return true;
  if (/^(?:1|true|yes)$/i.test(envValue(call, 'DISABLE_DATABASE_ENVIRONMENT_CHECK') ?? '')) return true;
  if (/prod|live/i.test(envValue(call, 'DATABASE_URL') ?? '')) return true;
  return words.some((a) => /prod|live/i.test(a) || /^--(?:linked|db-url)\b/.test(a));
}

/** The task runs against the test environment: RAILS_ENV/RACK_ENV/MIX_ENV/NODE_ENV/APP_ENV=test, `-e test`, `--env=test`. */
function aimedAtTests(call: Call, words: readonly string[]): boolean {
  if (ENV_VARS.some((k) => /^test(?:ing)?$|[._](?:test|tests|testing)$/i.test(envValue(call, k) ?? ''))) return true;
  return words.some((a, k) => /^--(?:env|environment)=test(?:ing)?$/i.test(a) || (/^(?:-e|--env|--environment)$/.test(a) && /^test(?:ing)?$/i.test(words[k + 1] ?? '')) || /^db:test:/.test(a));
}

/** The tool words of a call: `python manage.py flush` -> ['manage.py', 'flush'], `rails db:drop` -> ['rails', 'db:drop']. */
function toolWords(call: Call): string[] {
  if (TASKS.some((t) => t.tool.test(call.program))) return [call.program, ...call.args];
  // an interpreter running the tool's script: its first operand
  if (langOfProgram(call.program) === null) return [];
  const k = call.args.findIndex((a) => !a.startsWith('-'));
  if (k < 0) return [];
  const script = call.args[k]!.split('/').pop() ?? '';
  return TASKS.some((t) => t.tool.test(script)) ? [script, ...call.args.slice(k + 1)] : [];
}

/** Flag framework tasks that drop, reset or empty a database. */
export function judgeDbTasks(call: Call): void {
  const words = toolWords(call);
  if (words.length < 2) return;
  const tool = words[0]!;
  const rest = words.slice(1).filter((w) => !/^-{1,2}(?:no-?input|force|yes|y|f|quiet|q|trace|verbose)$/i.test(w));
  const line = rest.join(' ');
  for (const t of TASKS) {
    if (!t.tool.test(tool)) continue;
    // the task's words may sit among options and their values (`alembic -x env=prod downgrade base`)
    const pos = rest.filter((w) => !w.startsWith('-'));
    const spans = pos.flatMap((_, i) => [1, 2, 3, 4].filter((n) => i + n <= pos.length).map((n) => pos.slice(i, i + n).join(' ')));
    const hit = rest.some((w) => t.task.test(w)) || t.task.test(line) || t.task.test(words.slice(1).join(' ')) || spans.some((x) => t.task.test(x));
    if (!hit) continue;
    const prod = aimedAtProduction(call, words);
    // the test environment's database is dropped and rebuilt by test runs (`RAILS_ENV=test rails db:reset`)
    if (!prod && aimedAtTests(call, words)) return;
    call.exec.run.add(prod ? 'infra.sql-drop-database' : 'infra.sql-drop-dev-database', `${tool} ${line} drops or resets ${prod ? 'a production' : 'the'} database`);
    return;
  }
}
