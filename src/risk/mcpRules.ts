/**
 * MCP tool calls. Default: low. Raised when the arguments carry a shell command (classified like
 * any shell command), touch protected or secret paths, hold destructive SQL, call an approval
 * endpoint, or when the tool's name says it deletes or destroys.
 */
import type { McpIntent } from '../intent/intent.js';
import type { Call, Exec } from './call.js';
import { judgeSql } from './commands/infra.js';
import { isApprovalUrl } from './network.js';
import { judgeDelete, judgeRead, judgeWrite, resolvePathText } from './pathRules.js';
import type { Run } from './run.js';
import type { Scope } from './scope.js';
import { EMPTY_INPUT } from './shellValue.js';

const SHELL_KEYS = /^(?:command|cmd|script|shell|bash|sh|command_?line|shell_?command|run)$/i;
const PATH_KEYS = /(?:^|_)(?:path|paths|file|files|filename|file_?path|dir|directory|target|source|src|destination|dest|from|to|old_?path|new_?path|cwd|root)$/i;
const SQL_KEYS = /^(?:sql|query|statement|statements)$/i;
const WRITE_TOOL = /(?:write|edit|create|update|save|put|upload|append|patch|replace|insert|mkdir|chmod|move|rename|copy|set|modify)/i;
const DELETE_TOOL = /(?:delete|remove|rm|unlink|drop|destroy|purge|truncate|wipe|erase|terminate|prune)/i;
const DESTRUCTIVE_NAME = /(?:^|[_-])(?:delete|drop|destroy|remove|purge|truncate|wipe|erase|terminate|force_?push|reset|prune|uninstall)(?:[_-]|$)/i;

/** Judge an MCP call's name and arguments. */
export function judgeMcp(run: Run, exec: Exec, mcp: McpIntent, scope: Scope): void {
  const tool = mcp.name;
  run.add('tool.mcp', `MCP tool ${mcp.server}/${tool}`);
  if (/^vaibot$/i.test(mcp.server) && /approve|deny|decide/i.test(tool)) run.add('self.approval-verb', `the agent calls ${mcp.server}/${tool}: approvals are human acts`);
  if (DESTRUCTIVE_NAME.test(tool)) run.add('tool.mcp-destructive', `MCP tool ${mcp.server}/${tool} looks destructive`);
  const call: Call = { exec, words: [], name: `mcp__${mcp.server}__${tool}`, program: tool, args: [], argWords: [], stdin: EMPTY_INPUT, scope, env: new Map(), via: [] };
  const visit = (value: unknown, key: string, depth: number): void => {
    if (depth > 12) return;
    if (typeof value === 'string') {
      if (SHELL_KEYS.test(key)) exec.script(value, { ...scope, depth: scope.depth + 1 }, EMPTY_INPUT, `MCP ${tool} ${key}`);
      else if (SQL_KEYS.test(key)) judgeSql(call, value, `MCP ${tool}`);
      if (isApprovalUrl(value)) run.add('self.approval-endpoint', `MCP ${tool} refers to the VAIBOT approval endpoint ${value}`);
      if (PATH_KEYS.test(key) && value.length < 4096) {
        const v = value === '~' || value.startsWith('~/') ? run.zones.home + value.slice(1) : value.replace(/^file:\/\//, '');
        const ref = resolvePathText(run, v, scope.cwd);
        if (DELETE_TOOL.test(tool)) judgeDelete(run, ref, { recursive: /recursive|rmtree|dir/i.test(tool), verb: `MCP ${tool}` });
        else if (WRITE_TOOL.test(tool) && !/^(?:from|source|src|old_?path)$/i.test(key)) judgeWrite(run, ref, { verb: `MCP ${tool}` });
        else judgeRead(run, ref, { verb: `MCP ${tool}` });
      }
    } else if (Array.isArray(value)) {
      if (SHELL_KEYS.test(key) && value.every((v) => typeof v === 'string'))
        exec.script((value as string[]).map((v) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`)).join(' '), { ...scope, depth: scope.depth + 1 }, EMPTY_INPUT, `MCP ${tool} ${key}`);
      else for (const v of value) visit(v, key, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, k, depth + 1);
    }
  };
  visit(mcp.arguments, '', 0);
}
