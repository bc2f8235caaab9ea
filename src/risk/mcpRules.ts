/**
 * MCP tool calls. Default: low. Raised when the arguments carry a shell command or code (classified
 * like any shell command or interpreter code), touch protected or secret paths (`file:` URLs too),
 * move protected or broad paths away, hold destructive SQL, call an approval endpoint or a cloud
 * metadata endpoint, or when the tool's name says it deletes or destroys.
 */
import { posix } from 'node:path';
import type { McpIntent } from '../intent/intent.js';
import type { Call, Exec } from './call.js';
import { judgeSql } from './commands/databaseClients.js';
import { runCode } from './commands/scripts.js';
import type { ScriptLang } from './commands/support.js';
import { CWD_KEYS, type McpCommand, isPathKey, mcpCommands } from './mcpCommands.js';
import { type McpToolKind, mcpToolKind } from './mcpToolKind.js';
import { fileUrlPath, isApprovalUrl, isCloudMetadataHost, urlHost } from './network.js';
import { type PathRef, judgeDelete, judgeRead, judgeWrite, resolvePathText } from './pathRules.js';
import { isUnder } from './pathZones.js';
import type { Run } from './run.js';
import type { Scope } from './scope.js';
import { EMPTY_INPUT, PLAIN } from './shellValue.js';
import { scanSecrets } from '../secrets/scanSecrets.js';
import { judgePlantedText } from './patchRules.js';

const SQL_KEYS = /^(?:sql|query|statement|statements)$/i;
const DESTRUCTIVE_NAME = /(?:^|[_-])(?:delete|drop|destroy|remove|purge|truncate|wipe|erase|terminate|force_?push|reset|prune|uninstall|flush(?:all|db)?)(?:[_-]|$)/i;
/** Arguments naming the operation a generic tool performs (`kubectl_generic {command: "delete"}`). */
const VERB_KEY = /^(?:command|action|operation|verb|op|subcommand)$/i;
/** Servers that work on local files: content written there stays on this machine. */
const LOCAL_FILE_SERVER = /^(?:filesystem|fs|files?|local[_-]?files?|desktop[_-]?commander|text[_-]?editor)$/i;
/** Where a move, rename or copy puts things. */
const DEST_KEY = /^(?:destination|dest|dst|to|target|new_?path|new_?name|new_?location|new_?uri|new_?file(?:_?path|_?name)?|(?:destination|dest|dst|target|to)_?(?:path|file|dir|directory|uri|name))$/i;
/** What a move, rename or copy takes (besides plain path keys). */
const SOURCE_KEY = /^(?:source|src|from|old_?path|old_?name|old_?uri|(?:source|src|from|old)_?(?:path|file|dir|directory|uri|name)|sources)$/i;
/** Free text (file content, messages): not URLs to fetch or paths to open. */
const TEXT_KEY = /^(?:content|contents|text|body|data|message|description|comment|title|notes?|markdown|old_?str(?:ing)?|new_?str(?:ing)?|patch|diff|edits?|summary|prompt)$/i;
/** Keys naming where a request goes. */
const HOST_KEY = /(?:^|_)(?:url|uri|href|link|endpoint|host|hostname|address|addr|server|base_?url|location|ip)$/i;
/** Tool names that say they act on whole directories. */
const DIR_TOOL = /recursive|rmtree|dir|folder|tree/i;

/** The state of one MCP call's walk over its arguments. */
interface McpWalk {
  run: Run;
  call: Call;
  kind: McpToolKind;
  tool: string;
  /** The arguments ask for recursion (`"recursive": true`). */
  recursive: boolean;
}

/** The tools VAIBOT's own MCP server offers that only read (src/mcp/tools): anything else asked of it is refused. */
const VAIBOT_READ_TOOLS = /^(?:status|pending|recent|policy|verify)$/i;

/** Arguments that turn a repository, gist or package public. */
function makesPublic(args: unknown): boolean {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return false;
  return Object.entries(args).some(([k, v]) => (/^(?:private|is_private|isPrivate)$/.test(k) && v === false) || (/^visibility$/i.test(k) && typeof v === 'string' && /^public$/i.test(v)) || (/^public$/i.test(k) && v === true));
}

/** Arguments that ask for force (`"force": true`, `"force_push": true`): a push or write that overwrites what stands in its way. */
function forces(args: unknown): boolean {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return false;
  return Object.entries(args).some(([k, v]) => /^(?:force|forced|force_?push|force_?update|overwrite_?history)$/i.test(k) && (v === true || v === 'true'));
}

/** Judge an MCP call's name and arguments. */
export function judgeMcp(run: Run, exec: Exec, mcp: McpIntent, scope: Scope): void {
  const tool = mcp.name;
  run.add('tool.mcp', `MCP tool ${mcp.server}/${tool}`);
  if (/^vaibot$/i.test(mcp.server)) {
    if (/approve|deny|decide/i.test(tool)) run.add('self.approval-verb', `the agent calls ${mcp.server}/${tool}: approvals are human acts`);
    else if (!VAIBOT_READ_TOOLS.test(tool)) run.add('self.guard-admin', `the agent calls ${mcp.server}/${tool}, which VAIBOT's server does not offer to agents: changing the guard is a human act`);
  }
  if (DESTRUCTIVE_NAME.test(tool)) run.add('tool.mcp-destructive', `MCP tool ${mcp.server}/${tool} looks destructive`);
  if (makesPublic(mcp.arguments)) run.add('publish.package', `MCP tool ${mcp.server}/${tool} makes something public (private: false / visibility: public)`);
  if (mcp.arguments && typeof mcp.arguments === 'object' && !Array.isArray(mcp.arguments)) {
    for (const [k, v] of Object.entries(mcp.arguments)) {
      const verb = VERB_KEY.test(k) && typeof v === 'string' ? v.trim().split(/\s+/)[0] ?? '' : '';
      if (DESTRUCTIVE_NAME.test(verb)) run.add('tool.mcp-destructive', `MCP tool ${mcp.server}/${tool} is asked to ${verb}`);
    }
  }
  if (forces(mcp.arguments)) run.add('tool.mcp-destructive', `MCP tool ${mcp.server}/${tool} is asked to force (force: true), overwriting what stands in its way`);
  const call: Call = { exec, words: [], name: `mcp__${mcp.server}__${tool}`, program: tool, args: [], argWords: [], stdin: EMPTY_INPUT, scope, env: new Map(), via: [] };
  const kind = mcpToolKind(mcp.server, tool);
  const args = mcp.arguments;
  const recursive = !!args && typeof args === 'object' && Object.entries(args).some(([k, v]) => /^(?:recursive|recurse|recursively)$/i.test(k) && v === true);
  visit({ run, call, kind, tool, recursive }, args, '', 0, scope, kind.exec ? kind.lang : null);
}

function visit(w: McpWalk, value: unknown, key: string, depth: number, scope: Scope, lang: ScriptLang | null): void {
  if (depth > 12) return;
  if (typeof value === 'string') judgeString(w, value, key, scope);
  else if (Array.isArray(value)) for (const v of value) visit(w, v, key, depth + 1, scope, lang);
  else if (value && typeof value === 'object') visitObject(w, value as Record<string, unknown>, depth, scope, lang);
}

/** An arguments object: run the code it carries, judge a move's paths, then every other value. */
function visitObject(w: McpWalk, obj: Record<string, unknown>, depth: number, scope: Scope, lang: ScriptLang | null): void {
  const found = mcpCommands(obj, w.kind, lang, depth === 0 ? w.tool : '');
  const here = found.cwd !== null ? withCwd(w.run, scope, found.cwd) : scope;
  for (const c of found.commands) runCommand(w, c, here);
  for (const f of found.writes) judgeWrite(w.run, pathRef(w.run, f, here.cwd), { verb: `MCP ${w.tool} %%writefile` });
  // `{path: '.github/workflows/x.yml', content: '…'}`: code written where other tools run it later
  const filePath = Object.entries(obj).find(([k, v]) => /^(?:path|file_?path|filename|file)$/i.test(k) && typeof v === 'string')?.[1] as string | undefined;
  const content = Object.entries(obj).find(([k, v]) => /^(?:content|contents|text|body|data)$/i.test(k) && typeof v === 'string')?.[1] as string | undefined;
  if (filePath !== undefined && content !== undefined && content.length <= 1_000_000) judgePlantedText(w.run, filePath, content, `MCP ${w.tool}`, here.cwd ?? '/');
  // an edit tool's replacement text (`edits: [{oldText, newText}]`, `new_string`, `new_str`) is planted as a patch's added lines are
  if (filePath !== undefined && content === undefined) {
    const added = editedTexts(obj);
    if (added.length > 0 && added.join('\n').length <= 1_000_000) judgePlantedText(w.run, filePath, added.join('\n'), `MCP ${w.tool}`, here.cwd ?? '/');
  }
  const moved = w.kind.moves ? judgeMove(w, obj, here) : new Set<string>();
  for (const [k, v] of Object.entries(obj)) if (!found.consumed.has(k) && !moved.has(k)) visit(w, v, k, depth + 1, here, found.lang);
}

/** Keys of an edit's replacement text. */
const NEW_TEXT_KEY = /^(?:new_?text|new_?string|new_?str|replacement|new_?content|insert_?text)$/i;

/** The replacement texts an edit tool's arguments carry, directly or in an `edits`/`changes` list. */
function editedTexts(obj: Record<string, unknown>): string[] {
  const out: string[] = [];
  const take = (o: Record<string, unknown>) => { for (const [k, v] of Object.entries(o)) if (NEW_TEXT_KEY.test(k) && typeof v === 'string') out.push(v); };
  take(obj);
  for (const [k, v] of Object.entries(obj)) {
    if (!/^(?:edits|changes|replacements|operations)$/i.test(k) || !Array.isArray(v)) continue;
    for (const e of v.slice(0, 256)) if (e && typeof e === 'object' && !Array.isArray(e)) take(e as Record<string, unknown>);
  }
  return out;
}

/** A string argument: SQL, approval and metadata endpoints, paths (`file:` URLs included). */
function judgeString(w: McpWalk, value: string, key: string, scope: Scope): void {
  if (SQL_KEYS.test(key)) judgeSql(w.call, value, `MCP ${w.tool}`);
  const text = TEXT_KEY.test(key);
  // a private key or token in what a tool sends to a service (a chat message, an issue, a remote file)
  if (text && !LOCAL_FILE_SERVER.test(w.call.name.split('__')[1] ?? '') && value.length <= 1_000_000 && scanSecrets(value, { maxChars: 1_000_000 }).findings.length > 0)
    w.run.add('exfil.upload-secret', `MCP ${w.tool} sends text that holds a secret (${key})`);
  // prose that mentions a route is not a request to it; a lone URL may well be one
  if ((!text || !/\s/.test(value.trim())) && isApprovalUrl(value)) w.run.add('self.approval-endpoint', `MCP ${w.tool} refers to the VAIBOT approval endpoint ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`);
  if (text) return;
  judgeHost(w, value, key);
  const path = pathText(value, key);
  if (path === null) return;
  const ref = pathRef(w.run, path, scope.cwd);
  const verb = `MCP ${w.tool}`;
  if (CWD_KEYS.test(key)) judgeRead(w.run, ref, { verb });
  else if (w.kind.deletes) judgeDelete(w.run, ref, { recursive: w.recursive || DIR_TOOL.test(w.tool), verb });
  else if (w.kind.copies && (SOURCE_KEY.test(key) || !DEST_KEY.test(key))) judgeRead(w.run, ref && ref.scope === 'exact' ? { ...ref, scope: 'contents' } : ref, { verb });
  else if ((w.kind.writes || w.kind.moves) && !SOURCE_KEY.test(key)) judgeWrite(w.run, ref, { verb });
  else judgeRead(w.run, ref, { verb });
}

/** The path a value names: a `file:` URL anywhere, or any value under a path-like key. */
function pathText(value: string, key: string): string | null {
  const url = fileUrlPath(value);
  if (url !== null) return url;
  return isPathKey(key) && value.length < 4096 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : null;
}

/** Resolve a path as written (`~` is home, relative to `cwd`). */
function pathRef(run: Run, text: string, cwd: string | null): PathRef | null {
  const t = text === '~' || text.startsWith('~/') ? run.zones.home + text.slice(1) : text;
  return resolvePathText(run, t, cwd);
}

/** A request to a cloud instance-metadata endpoint reads the machine's cloud credentials. */
function judgeHost(w: McpWalk, value: string, key: string): void {
  const v = value.trim();
  if (v.length > 2048 || /\s/.test(v)) return;
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(v);
  if (!isUrl && !HOST_KEY.test(key)) return;
  const host = urlHost(v) ?? (isUrl ? null : v.split(':').length === 2 ? v.replace(/:\d+$/, '') : v);
  if (host === null || (!isUrl && host === 'metadata') || !isCloudMetadataHost(host)) return;
  w.run.add('secrets.read-credentials', `MCP ${w.tool} calls the cloud metadata endpoint ${host}, which hands out this machine's cloud credentials`);
}

/**
 * A move or rename: every source is deleted from where it was (recursively when it is a directory),
 * every destination written. Returns the keys judged.
 */
function judgeMove(w: McpWalk, obj: Record<string, unknown>, scope: Scope): Set<string> {
  const keys = Object.keys(obj).filter((k) => (isPathKey(k) || DEST_KEY.test(k) || SOURCE_KEY.test(k)) && !CWD_KEYS.test(k));
  const verb = `MCP ${w.tool}`;
  const sources: PathRef[] = [];
  for (const k of keys.filter((k) => !DEST_KEY.test(k))) {
    for (const t of pathTexts(obj[k])) {
      const ref = pathRef(w.run, t, scope.cwd);
      judgeDelete(w.run, ref, { recursive: isDirLike(w, ref, t), verb: `${verb} (moves it away)` });
      if (ref) sources.push(ref);
    }
  }
  for (const k of keys.filter((k) => DEST_KEY.test(k))) {
    // `new_name: "b.ts"` renames within the source's directory
    const base = /name/i.test(k) && sources.length === 1 ? posix.dirname(sources[0]!.path) : scope.cwd;
    for (const t of pathTexts(obj[k])) judgeWrite(w.run, pathRef(w.run, t, base), { verb });
  }
  return new Set(keys);
}

/** The path texts a value holds (a string or a list of them; `file:` URLs decoded). */
function pathTexts(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return list.map((t) => fileUrlPath(t) ?? t).filter((t) => t !== '' && t.length < 4096);
}

/** Whether a moved path is (or may well be) a directory: said so, ends in `/`, holds the workspace, or is a `.git`. */
function isDirLike(w: McpWalk, ref: PathRef | null, text: string): boolean {
  if (w.recursive || DIR_TOOL.test(w.tool) || text.endsWith('/')) return true;
  if (ref === null) return false;
  const ws = w.run.zones.workspace;
  return (ws !== null && isUnder(ws, ref.path)) || posix.basename(ref.path) === '.git';
}

/** The scope with the working directory an argument names (`"cwd": "~/x"`). */
function withCwd(run: Run, scope: Scope, cwd: string): Scope {
  const t = cwd === '~' || cwd.startsWith('~/') ? run.zones.home + cwd.slice(1) : cwd;
  const abs = t.startsWith('/') ? posix.normalize(t) : scope.cwd !== null ? posix.join(scope.cwd, t) : null;
  return { ...scope, cwd: abs };
}

/** Judge one piece of code the arguments carry; guessed-language text is judged as a shell command line too. */
function runCommand(w: McpWalk, c: McpCommand, scope: Scope): void {
  const call: Call = { ...w.call, scope };
  const label = `MCP ${w.tool} ${c.key}`;
  // URLs and hosts the code names: a cloud metadata endpoint is a credential read, whatever the client
  if (c.text.length <= 200_000) for (const token of c.text.split(/[\s'"`<>(),;=]+/)) if (token.length > 6) judgeHost(w, token, 'url');
  if (!c.guessed || c.lang === 'sh') {
    runCode(call, c.lang, c.text, label, c.stdin !== undefined ? { stdin: { kind: 'text', text: c.stdin, from: PLAIN } } : {});
    return;
  }
  runCode(call, c.lang, c.text, label);
  // The same text typed into a shell: what it would run counts, that it is not valid shell does not.
  const before = w.run.findings.length;
  runCode(call, 'sh', c.text, `${label} (if a shell reads it)`);
  for (let i = w.run.findings.length - 1; i >= before; i--) if (w.run.findings[i]!.ruleId === 'parse.unparseable') w.run.findings.splice(i, 1);
}
