/**
 * Walks a parsed Bash script the way the shell would run it: lists, pipelines (stdout of one stage
 * is stdin of the next), subshells, command and process substitutions, functions, loops, here-
 * documents and redirections. Every simple command is expanded and handed to the dispatcher.
 */
import { BashParserError, parseBash } from './bashParser.js';
import type { Call, Exec } from './call.js';
import { runArgv } from './commands/dispatch.js';
import { UNKNOWN_OUTPUT, display, langOfProgram, programName } from './commands/support.js';
import { isLoopbackHost } from './network.js';
import { judgeDynamicWrite, judgeRead, judgeWrite, resolvePathText } from './pathRules.js';
import { judgeShellWrittenText } from './patchRules.js';
import { isDeviceSink, isEndlessOutput } from './commands/diskFill.js';
import { MAX_DEPTH, type Run } from './run.js';
import { type Scope, childScope, nestedScope } from './scope.js';
import { isSecretVarName } from './secretNames.js';
import { type ShellNode, type ShellTree, childByField, nodeText } from './shellSyntax.js';
import {
  type DataSource,
  type Provenance,
  type ShellWord,
  EMPTY_INPUT,
  PLAIN,
  UNKNOWN,
  literalWord,
  mergeProvenance,
  sourceProvenance,
} from './shellValue.js';
import { type VarValue, type WordEnv, WordEvaluator } from './wordEval.js';

/** How many calls of one function definition may be open at once (recursion followed this deep). */
const MAX_RECURSION = 3;

const STATEMENTS = new Set([
  'command', 'redirected_statement', 'pipeline', 'list', 'subshell', 'compound_statement', 'do_group',
  'negated_command', 'variable_assignment', 'variable_assignments', 'declaration_command', 'unset_command',
  'function_definition', 'if_statement', 'elif_clause', 'else_clause', 'while_statement', 'for_statement',
  'c_style_for_statement', 'case_statement', 'case_item', 'test_command', 'ERROR', 'program',
]);

/** One pending redirection of a simple command or group. */
interface Redirections {
  stdin?: DataSource;
  /** Files that receive the statement's stdout (content known after it ran). */
  stdoutTargets: { raw: string; text: string | null; append: boolean }[];
  /** True when stdout goes to a file (nothing flows down the pipe). */
  stdoutRedirected: boolean;
  /** True when a redirection opens a network socket (/dev/tcp/host/port). */
  network?: boolean;
}

/** The guard's own settings in the environment: VAIBOT_* and CODEX_HOME (a name, or an assignment to it). */
const GUARD_VARIABLE = /^(?:VAIBOT_|CODEX_HOME(?:=|$))/;

/** The walker: implements {@link Exec} for command handlers. */
export class ShellWalker implements Exec {
  /**
   * Recursion guard: functions being walked, by definition (each time a definition runs it is a
   * new record: with parse trees shared by text, a function re-defined through eval has the same
   * body node but is another definition), with how many calls of it are open. A recursive call is
   * followed a few levels, since each may run with changed variables.
   */
  private readonly activeBodies = new Map<object, number>();
  constructor(readonly run: Run) {}

  script(text: string, scope: Scope, stdin: DataSource, origin: string): DataSource {
    const run = this.run;
    if (scope.depth > MAX_DEPTH) {
      run.add('parse.depth-exceeded', `${origin}: commands nested more than ${MAX_DEPTH} levels deep are not followed`);
      return UNKNOWN_OUTPUT;
    }
    if (!run.step()) return UNKNOWN_OUTPUT;
    if (text.length > 1_000_000) {
      run.add('parse.budget-exceeded', `${origin} is too large to classify`);
      return UNKNOWN_OUTPUT;
    }
    let tree: ShellTree;
    try {
      tree = parseBash(text);
    } catch (e) {
      if (e instanceof BashParserError && e.code === 'E_BASH_PARSER_LOAD') run.add('parse.parser-unavailable', e.message);
      else run.add('parse.unparseable', `${origin} could not be parsed`);
      return UNKNOWN_OUTPUT;
    }
    if (tree.hasError) run.add('parse.unparseable', `${origin} could not be fully parsed as shell`);
    return new TreeWalk(this, tree).statements(tree.root, scope, stdin);
  }

  written(path: string, text: string, verb: string, scope: Scope): void {
    if (scope.cwd !== null) judgeShellWrittenText(this.run, path, text, verb, scope.cwd);
  }

  argv(call: Call): DataSource {
    const fn = call.scope.functions.get(call.name);
    if (fn && !call.via.includes('command') && !call.via.includes('builtin')) return this.callFunction(call, fn);
    const alias = call.scope.aliases.get(call.name);
    if (alias !== undefined && call.via.length === 0 && !call.scope.callStack.includes('alias:' + call.name)) {
      const text = alias + ' ' + call.args.map((a) => quoteWord(a)).join(' ');
      const scope = nestedScope(call.scope, { share: true });
      scope.callStack = [...scope.callStack, 'alias:' + call.name];
      return this.script(text, scope, call.stdin, `alias ${call.name}`);
    }
    const hashed = call.scope.hashed?.get(call.name);
    if (hashed !== undefined) return runArgv(hashedCall(call, hashed));
    return runArgv(call);
  }

  private callFunction(call: Call, fn: { tree: ShellTree; body: ShellNode }): DataSource {
    const run = this.run;
    const open = this.activeBodies.get(fn) ?? 0;
    if (open > 0) {
      const body = nodeText(fn.tree, fn.body);
      if (/[|&]/.test(body)) {
        run.add('proc.fork-bomb', `function ${call.name} calls itself in a pipeline or in the background: a fork bomb`);
        return UNKNOWN_OUTPUT;
      }
      if (open >= MAX_RECURSION) return UNKNOWN_OUTPUT;
    }
    if (call.scope.depth >= MAX_DEPTH) {
      run.add('parse.depth-exceeded', `function ${call.name}: calls nested more than ${MAX_DEPTH} levels deep are not followed`);
      return UNKNOWN_OUTPUT;
    }
    run.command(call.name, call.args.map(display));
    const scope = nestedScope(call.scope, { positional: call.argWords, share: true });
    scope.callStack = [...call.scope.callStack, call.name];
    this.activeBodies.set(fn, open + 1);
    try {
      return new TreeWalk(this, fn.tree).statement(fn.body, scope, call.stdin);
    } finally {
      if (open === 0) this.activeBodies.delete(fn);
      else this.activeBodies.set(fn, open);
    }
  }
}

/** A call of a name bound with `hash -p PATH NAME`: it runs PATH. */
function hashedCall(call: Call, path: string): Call {
  const w0 = { ...(call.words[0] ?? literalWord(path)), text: path, dynamic: path.includes(UNKNOWN) };
  return { ...call, words: [w0, ...call.words.slice(1)], name: path, program: programName(path) };
}

/** The variable a name stands for, following namerefs (`declare -n r=HOME`: r -> HOME). */
function derefName(scope: Scope, name: string): string {
  let n = name;
  for (let hops = 0; hops < 8; hops++) {
    const t = scope.namerefs?.get(n);
    if (t === undefined || t === '' || !/^[A-Za-z_]\w*$/.test(t)) return n;
    n = t;
  }
  return n;
}

function quoteWord(text: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-\uE000]+$/.test(text)) return text;
  return "'" + text.replace(/'/g, `'\\''`) + "'";
}

/** Walks one parsed tree. */
class TreeWalk {
  private readonly run: Run;
  /** The pipeline stage being run and the text of the stage it pipes into. */
  private pipeNext: { stage: ShellNode; next: string } | null = null;
  constructor(
    private readonly walker: ShellWalker,
    private readonly tree: ShellTree,
  ) {
    this.run = walker.run;
  }

  private text(node: ShellNode): string {
    return nodeText(this.tree, node);
  }

  /** Word evaluation bound to a scope. */
  private words(scope: Scope): WordEvaluator {
    const env: WordEnv = {
      lookup: (name) => this.lookup(scope, name),
      assign: (name, value) => void scope.vars.set(derefName(scope, name), value),
      positional: () => scope.positional,
      scriptName: () => scope.scriptName,
      home: () => {
        // bash expands ~ from $HOME; unset or empty falls back to the password database
        const v = scope.vars.get('HOME');
        return v?.kind === 'scalar' && v.word.text !== '' && !v.word.dynamic ? v.word.text : this.run.zones.home;
      },
      substitute: (node) => this.substitution(node, scope),
      processSubstitution: (node) => this.processSubstitution(node, scope),
      scan: (node) => this.scan(node, scope),
    };
    return new WordEvaluator(this.tree, env);
  }

  private lookup(scope: Scope, ref: string): VarValue | undefined {
    const name = derefName(scope, ref);
    if (scope.vars.has(name)) return scope.vars.get(name) ?? undefined;
    const z = this.run.zones;
    const word = (t: string) => ({ kind: 'scalar' as const, word: literalWord(t) });
    switch (name) {
      case 'HOME': return word(z.home);
      case 'PWD': return scope.cwd ? word(scope.cwd) : undefined;
      case 'CODEX_HOME': return word(z.codexHome);
      case 'VAIBOT_HOME': return word(z.vaibotHome);
      // the XDG base directories, at their defaults (where credentials of gh, podman, keyrings live)
      case 'XDG_CONFIG_HOME': return word(`${z.home}/.config`);
      case 'XDG_DATA_HOME': return word(`${z.home}/.local/share`);
      case 'XDG_STATE_HOME': return word(`${z.home}/.local/state`);
      case 'XDG_CACHE_HOME': return word(`${z.home}/.cache`);
      // /run/user/<uid>: the uid stands as one component known only at run time
      case 'XDG_RUNTIME_DIR': return { kind: 'scalar', word: { text: `/run/user/${UNKNOWN}`, dynamic: true, glob: false, from: { download: false, decoded: false, secret: false } } };
      case 'TMPDIR': return word('/tmp');
      case 'SHELL': return word('/bin/bash');
      case 'BASH': return word('/bin/bash');
      case 'IFS': return word(' \t\n');
    }
    if (isSecretVarName(name))
      return { kind: 'scalar', word: { text: UNKNOWN, dynamic: true, glob: false, from: { download: false, decoded: false, secret: true } } };
    return undefined;
  }

  /** Walk the statements under a container node; returns their combined output. */
  statements(node: ShellNode, scope: Scope, stdin: DataSource): DataSource {
    const outs: DataSource[] = [];
    for (const c of node.children) {
      if (!c.named || c.type === 'comment') continue;
      if (STATEMENTS.has(c.type) || c.type === 'function_definition') outs.push(this.statement(c, scope, stdin));
      else this.scan(c, scope);
    }
    return combine(outs);
  }

  /** Walk one statement. */
  statement(node: ShellNode, scope: Scope, stdin: DataSource): DataSource {
    switch (node.type) {
      case 'command':
        return this.command(node, scope, stdin, []);
      case 'redirected_statement':
        return this.redirected(node, scope, stdin);
      case 'pipeline':
        return this.pipeline(flattenPipeline(node).map((n) => ({ node: n, redirects: [] })), scope, stdin);
      case 'list':
      case 'program':
      case 'compound_statement':
      case 'do_group':
      case 'ERROR':
        return this.statements(node, scope, stdin);
      case 'subshell':
        return this.statements(node, childScope(scope), stdin);
      case 'negated_command':
        return this.statements(node, scope, stdin);
      case 'variable_assignment':
        this.assign(node, scope, scope.vars);
        this.guardExported(node, scope, 'set -a then');
        return EMPTY_INPUT;
      case 'variable_assignments':
        for (const c of node.children) if (c.type === 'variable_assignment') { this.assign(c, scope, scope.vars); this.guardExported(c, scope, 'set -a then'); }
        return EMPTY_INPUT;
      case 'declaration_command':
        return this.declaration(node, scope);
      case 'unset_command':
        for (const c of node.children) {
          if (!c.named) continue;
          const t = this.text(c);
          if (/^[A-Za-z_]\w*$/.test(t)) scope.vars.set(t, { kind: 'scalar', word: literalWord('') });
        }
        return EMPTY_INPUT;
      case 'function_definition': {
        const nameNode = childByField(node, 'name');
        const body = childByField(node, 'body');
        if (nameNode && body) scope.functions.set(this.text(nameNode), { tree: this.tree, body });
        // bash runs this hook for any command it cannot find (zsh: command_not_found_handler), and
        // whether a name is found is not known here: it is judged as if called
        if (nameNode && body && /^command_not_found_handler?$/.test(this.text(nameNode))) this.statements(body, childScope(scope), EMPTY_INPUT);
        return EMPTY_INPUT;
      }
      case 'for_statement':
        return this.forLoop(node, scope, stdin);
      case 'while_statement':
      case 'c_style_for_statement':
        this.judgeForkLoop(node);
        return this.statements(node, scope, stdin);
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'case_statement':
      case 'case_item':
        return this.statements(node, scope, stdin);
      case 'test_command':
        this.scan(node, scope);
        return EMPTY_INPUT;
      default:
        this.scan(node, scope);
        return this.statements(node, scope, stdin);
    }
  }

  /** `while :; do cmd & done`, `for ((;;)); do …& done`: a loop without end starting background jobs forks without bound. */
  private judgeForkLoop(node: ShellNode): void {
    const text = this.text(node);
    const endless = /^(?:while\s+(?::|true|\(\(\s*1\s*\)\)|\[\s*1\s*\])|until\s+false)\s*;?\s*do\b|^for\s*\(\(\s*[^;]*;\s*;/.test(text);
    if (!endless) return;
    const body = childByField(node, 'body');
    const jobs = (body ? this.text(body) : text).replace(/&&|&>>?|[<>]&-?\d*|\d+>&\d+/g, '');
    if (jobs.includes('&')) this.run.add('proc.fork-bomb', `an endless loop starts background jobs without bound: a fork bomb (${display(text.slice(0, 80))})`);
    // with no way out and no pause, a loop that creates files or directories fills the disk (or its inodes)
    else if (!/\b(?:break|exit|return|sleep|read|wait)\b/.test(jobs) && /(?:^|[\s;&|({])(?:mkdir|touch|cp|dd|fallocate|truncate|tee|ln)\s|>>?\s*[^\s&>]/.test(jobs.replace(/[12]?>\s*\/dev\/null\b/g, '')))
      this.run.add('proc.resource-exhaustion', `an endless loop without a pause or a way out keeps creating files: the disk fills (${display(text.slice(0, 80))})`);
  }

  /** Run command substitutions found anywhere under a node (conditions, arithmetic, unknown syntax). */
  private scan(node: ShellNode, scope: Scope): void {
    for (const c of node.children) {
      if (c.type === 'command_substitution') this.substitution(c, scope);
      else if (c.type === 'process_substitution') this.processSubstitution(c, scope);
      else if (STATEMENTS.has(c.type) && c.type !== 'test_command') this.statement(c, scope, EMPTY_INPUT);
      else if (c.children.length > 0) this.scan(c, scope);
    }
  }

  private substitution(node: ShellNode, scope: Scope): DataSource {
    // `$(< file)`: bash reads the file without running a command.
    const only = node.children.filter((c) => c.named);
    if (only.length === 1 && only[0]!.type === 'file_redirect') {
      const r = this.prepareRedirects(only, scope);
      const input = r.stdin;
      if (input?.kind === 'file' && input.path) {
        const c = this.run.contentOf(input.path);
        if (c?.kind === 'text') return { kind: 'text', text: c.text, from: c.from };
      }
      return input ?? EMPTY_INPUT;
    }
    // `$(…)` and backticks: the inner statements run in a subshell; their stdout is the value.
    const raw = this.text(node);
    if (raw.startsWith('`')) {
      const inner = raw.slice(1, raw.endsWith('`') ? -1 : undefined).replace(/\\([`$\\])/g, '$1');
      if (node.children.every((c) => !c.named)) return this.walker.script(inner, { ...childScope(scope) }, EMPTY_INPUT, 'a `…` substitution');
    }
    return this.statements(node, childScope(scope), EMPTY_INPUT);
  }

  private processSubstitution(node: ShellNode, scope: Scope): DataSource {
    const raw = this.text(node);
    if (raw.startsWith('>(')) {
      this.statements(node, childScope(scope), { kind: 'unknown', from: PLAIN });
      return UNKNOWN_OUTPUT;
    }
    return this.statements(node, childScope(scope), EMPTY_INPUT);
  }

  /** Under `set -a` a plain assignment exports: a guard setting assigned then reaches whatever the shell starts next. */
  private guardExported(node: ShellNode, scope: Scope, how: string): void {
    if (!scope.allexport) return;
    const name = childByField(node, 'name');
    if (name && GUARD_VARIABLE.test(this.text(name))) this.run.add('self.vaibot-env', `${how} ${this.text(node).slice(0, 80)} exports a change of VAIBOT's or Codex's settings to everything this shell starts next`);
  }

  private assign(node: ShellNode, scope: Scope, into: Map<string, VarValue | null>): void {
    const nameNode = childByField(node, 'name');
    if (!nameNode) return;
    let name = this.text(nameNode);
    const sub = /^([A-Za-z_]\w*)\[/.exec(name);
    if (sub) name = sub[1]!;
    if (into === scope.vars) {
      // assigning a nameref with no target yet (`declare -n r; r=HOME`) sets its target
      if (scope.namerefs?.get(name) === '') return this.bindNameref(node, scope, name);
      name = derefName(scope, name);
    }
    const value = childByField(node, 'value');
    const append = node.children.some((c) => !c.named && c.type === '+=');
    const ev = this.words(scope);
    let v: VarValue;
    if (!value) v = { kind: 'scalar', word: literalWord('') };
    else if (value.type === 'array') {
      const items = value.children.filter((c) => c.named && c.type !== 'comment').flatMap((c) => ev.fields(c));
      v = { kind: 'array', items };
    } else v = { kind: 'scalar', word: ev.single(value) };
    if (sub) {
      // element assignment: we only track whole arrays; keep it unknown-safe by appending.
      const prev = into.get(name);
      const items = prev?.kind === 'array' ? [...prev.items] : prev?.kind === 'scalar' ? [prev.word] : [];
      if (v.kind === 'scalar') items.push(v.word);
      into.set(name, { kind: 'array', items });
      return;
    }
    if (append) {
      const prev = into.get(name) ?? this.lookup(scope, name);
      if (prev?.kind === 'scalar' && v.kind === 'scalar') {
        const text = prev.word.text + v.word.text;
        v = { kind: 'scalar', word: { ...v.word, text, dynamic: text.includes(UNKNOWN), from: mergeProvenance(prev.word.from, v.word.from) } };
      } else if (prev?.kind === 'array' && v.kind === 'array') v = { kind: 'array', items: [...prev.items, ...v.items] };
      else if (!prev && v.kind === 'scalar') v = { kind: 'scalar', word: { ...v.word, text: UNKNOWN + v.word.text, dynamic: true } };
    }
    into.set(name, v);
  }

  /** `declare -n name=target`: later uses of name read and write target. */
  private bindNameref(node: ShellNode, scope: Scope, name: string): void {
    const value = childByField(node, 'value');
    const target = value ? this.words(scope).single(value).text : '';
    scope.namerefs = new Map(scope.namerefs);
    scope.namerefs.set(name, target);
  }

  private declaration(node: ShellNode, scope: Scope): DataSource {
    const keyword = node.children.find((c) => !c.named)?.type ?? 'declare';
    const opts: string[] = [];
    let names = 0;
    let nameref = false;
    for (const c of node.children) {
      if (c.type === 'variable_assignment') {
        names++;
        const n = childByField(c, 'name');
        if (nameref && n) this.bindNameref(c, scope, this.text(n));
        else this.assign(c, scope, scope.vars);
      } else if (c.type === 'variable_name') {
        names++;
        if (nameref) this.bindNameref(c, scope, this.text(c));
      } else if (c.named) {
        const t = this.text(c);
        if (t.startsWith('-') || t.startsWith('+')) {
          opts.push(t);
          if (/^-[a-zA-Z]*n/.test(t)) nameref = true;
        } else names++;
        this.scan(c, scope);
      }
    }
    // exported to everything this shell starts from now on (a persistent session's later commands too):
    // a nested Codex or VAIBOT's CLI would run with the guard's settings changed
    const exported = keyword === 'export' || opts.some((o) => /^-[a-zA-Z]*x/.test(o)) || (scope.allexport === true && !opts.some((o) => /^\+/.test(o)));
    // the names as bash sees them: `export "$k=v"` with k=VAIBOT_MODE, `export VAIBOT_{MODE=a,FAIL_OPEN=1}`
    const named = node.children.filter((c) => c.named && c.type !== 'variable_assignment' && c.type !== 'variable_name' && !/^[-+]/.test(this.text(c)))
      .flatMap((c) => this.words(scope).fields(c).map((w) => w.text));
    const guardVar = node.children.filter((c) => c.type === 'variable_assignment' || c.type === 'variable_name').map((c) => this.text(c)).concat(named).find((t) => GUARD_VARIABLE.test(t));
    if (exported && guardVar) this.run.add('self.vaibot-env', `${keyword} ${guardVar.slice(0, 80)} changes VAIBOT's or Codex's settings for everything this shell starts next`);
    if (names === 0 && (keyword === 'export' || keyword === 'declare' || keyword === 'typeset' || keyword === 'readonly')) {
      if (opts.length === 0 || opts.some((o) => /^-[a-zA-Z]*[px]/.test(o))) {
        if (!opts.some((o) => /f/.test(o)))
          this.run.add('secrets.dump-env', `${keyword}${opts.length ? ' ' + opts.join(' ') : ''} prints every variable, secrets included`);
      }
    }
    return keyword === 'export' || keyword === 'declare' || keyword === 'typeset' ? { kind: 'unknown', from: PLAIN } : EMPTY_INPUT;
  }

  private forLoop(node: ShellNode, scope: Scope, stdin: DataSource): DataSource {
    const varNode = childByField(node, 'variable');
    const body = childByField(node, 'body');
    const values = node.children.filter((c) => c.field === 'value');
    const ev = this.words(scope);
    let items: ShellWord[] | null;
    if (values.length === 0) items = scope.positional;
    else items = values.flatMap((v) => ev.fields(v));
    if (!varNode || !body) return this.statements(node, scope, stdin);
    const name = this.text(varNode);
    const outs: DataSource[] = [];
    const list = items === null ? [literalWord(UNKNOWN)] : items.length > 12 ? [...items.slice(0, 12), literalWord(UNKNOWN)] : items;
    if (list.length === 0) return EMPTY_INPUT;
    for (const it of list) {
      scope.vars.set(name, { kind: 'scalar', word: it });
      outs.push(this.statement(body, scope, stdin));
    }
    return combine(outs);
  }

  /** `body <redirects>`; also tree-sitter's way of attaching `| next` or `&& next` to a heredoc. */
  private redirected(node: ShellNode, scope: Scope, stdin: DataSource): DataSource {
    const body = childByField(node, 'body') ?? node.children.find((c) => c.named && STATEMENTS.has(c.type) && !c.type.endsWith('_redirect'));
    const redirects: ShellNode[] = [];
    const pipeTail: ShellNode[] = [];
    const after: ShellNode[] = [];
    for (const c of node.children) {
      if (c === body) continue;
      if (c.type.endsWith('_redirect')) {
        redirects.push(c);
        if (c.type === 'heredoc_redirect') {
          for (const k of c.children) {
            if (k.type === 'pipeline') pipeTail.push(...flattenPipeline(k));
            else if (k.field === 'right' || (k.named && STATEMENTS.has(k.type) && k.type !== 'pipeline')) after.push(k);
            else if (k.field === 'redirect' || k.type === 'file_redirect') redirects.push(k);
          }
        }
      }
    }
    let out: DataSource;
    if (pipeTail.length > 0 && body) {
      out = this.pipeline([{ node: body, redirects }, ...pipeTail.map((n) => ({ node: n, redirects: [] as ShellNode[] }))], scope, stdin);
    } else if (body) out = this.withRedirects(body, redirects, scope, stdin);
    else out = this.withRedirects(null, redirects, scope, stdin);
    for (const a of after) out = this.statement(a, scope, stdin);
    return out;
  }

  /** Run a statement with extra redirections. */
  private withRedirects(body: ShellNode | null, redirects: ShellNode[], scope: Scope, stdin: DataSource): DataSource {
    if (body && body.type === 'command') return this.command(body, scope, stdin, redirects);
    // tree-sitter reads `cd /etc && echo x > passwd` as the whole list redirected; bash gives the
    // redirection to the last command only, after the ones before it ran (and changed directory)
    if (body && body.type === 'list' && redirects.length > 0) {
      const parts = body.children.filter((c) => c.named && (STATEMENTS.has(c.type) || c.type === 'function_definition'));
      const last = parts[parts.length - 1];
      if (last && parts.length > 1) {
        for (const c of parts.slice(0, -1)) this.statement(c, scope, stdin);
        return this.withRedirects(last, redirects, scope, stdin);
      }
    }
    const r = this.prepareRedirects(redirects, scope);
    const out = body ? this.statement(body, scope, r.stdin ?? stdin) : EMPTY_INPUT;
    this.commitRedirects(r, out, scope, 'a redirection');
    return r.stdoutRedirected ? EMPTY_INPUT : out;
  }

  private pipeline(stages: { node: ShellNode; redirects: ShellNode[] }[], scope: Scope, stdin: DataSource): DataSource {
    let input = stdin;
    for (let k = 0; k < stages.length; k++) {
      const s = stages[k]!;
      const nextStage = stages[k + 1];
      this.pipeNext = nextStage ? { stage: s.node, next: this.text(nextStage.node) } : null;
      const sc = childScope(scope);
      input = s.redirects.length > 0 || s.node.type === 'command' ? this.withRedirects(s.node, s.redirects, sc, input) : this.statement(s.node, sc, input);
    }
    return input;
  }

  /** A simple command: assignments, words, redirections; then dispatch. */
  private command(node: ShellNode, scope: Scope, stdin: DataSource, extraRedirects: ShellNode[]): DataSource {
    const ev = this.words(scope);
    const assigns: ShellNode[] = [];
    let nameNode: ShellNode | undefined;
    const argNodes: ShellNode[] = [];
    const redirects: ShellNode[] = [];
    for (const c of node.children) {
      if (c.type === 'variable_assignment' && !nameNode) assigns.push(c);
      else if (c.field === 'name') nameNode = c;
      else if (c.field === 'argument') argNodes.push(c);
      else if (c.type.endsWith('_redirect')) redirects.push(c);
      else if (c.named && c.type !== 'comment') argNodes.push(c);
    }
    redirects.push(...extraRedirects);
    if (!nameNode) {
      for (const a of assigns) this.assign(a, scope, scope.vars);
      const r = this.prepareRedirects(redirects, scope);
      this.commitRedirects(r, EMPTY_INPUT, scope, 'a redirection');
      return EMPTY_INPUT;
    }
    const env = new Map<string, ShellWord>();
    if (assigns.length > 0) {
      const tmp = new Map<string, VarValue | null>();
      for (const a of assigns) this.assign(a, scope, tmp);
      for (const [k, v] of tmp) if (v) env.set(k, v.kind === 'scalar' ? v.word : { ...literalWord(v.items.map((i) => i.text).join(' ')) });
    }
    const nameInner = nameNode.type === 'command_name' ? nameNode.children.find((c) => c.named) ?? nameNode : nameNode;
    // tree-sitter accepts a stray closing keyword as a command name; bash rejects the script.
    if (/^(?:\}|fi|done|esac|then|do|else|elif)$/.test(this.text(nameInner)))
      this.run.add('parse.unparseable', `the command has a stray "${this.text(nameInner)}": bash would reject it`);
    const words: ShellWord[] = [...ev.fields(nameInner)];
    for (const a of argNodes) words.push(...ev.fields(a));
    const r = this.prepareRedirects(redirects, scope);
    const name = words[0]?.text ?? '';
    const call: Call = {
      exec: this.walker,
      words,
      name,
      program: programName(name),
      args: words.slice(1).map((w) => w.text),
      argWords: words.slice(1),
      stdin: r.stdin ?? stdin,
      scope,
      env,
      via: [],
      ...(this.pipeNext && (this.pipeNext.stage === node || childByField(this.pipeNext.stage, 'body') === node) ? { pipeTo: this.pipeNext.next } : {}),
    };
    // Variables assigned in front of a command are visible to it (including to nested `bash -c`).
    const saved: [string, VarValue | null | undefined][] = [];
    for (const [k, w] of env) {
      saved.push([k, scope.vars.get(k)]);
      scope.vars.set(k, { kind: 'scalar', word: w });
    }
    if (r.network && langOfProgram(call.program) !== null)
      this.run.add('net.reverse-shell', `${call.program} has its input or output connected to a network socket: a reverse shell`);
    let out: DataSource = words.length === 0 ? EMPTY_INPUT : this.walker.argv(call);
    for (const [k, v] of saved) if (v === undefined) scope.vars.delete(k); else scope.vars.set(k, v);
    this.commitRedirects(r, out, scope, programName(name) || 'a redirection');
    if (r.stdoutRedirected) out = EMPTY_INPUT;
    return out;
  }

  /** Evaluate redirections: stdin sources (files, heredocs, herestrings) and stdout targets. */
  private prepareRedirects(redirects: ShellNode[], scope: Scope): Redirections {
    const out: Redirections = { stdoutTargets: [], stdoutRedirected: false };
    const ev = this.words(scope);
    for (const r of redirects) {
      if (r.type === 'heredoc_redirect') {
        out.stdin = this.heredoc(r, scope, ev);
        continue;
      }
      if (r.type === 'herestring_redirect') {
        const w = r.children.find((c) => c.named);
        const word = w ? ev.single(w) : literalWord('');
        out.stdin = { kind: 'text', text: word.text + '\n', from: word.from };
        continue;
      }
      if (r.type !== 'file_redirect') continue;
      const op = r.children.find((c) => !c.named)?.type ?? '>';
      const fdNode = r.children.find((c) => c.field === 'descriptor');
      const fd = fdNode ? this.text(fdNode) : op.startsWith('<') ? '0' : '1';
      const dest = r.children.filter((c) => c.field === 'destination');
      const destWord = dest.length > 0 ? ev.single(dest[0]!) : literalWord('');
      const destText = destWord.text;
      if ((op === '>&' || op === '<&') && /^(?:\d+|-)$/.test(destText)) {
        continue; // descriptor duplication
      }
      const label = `redirection ${op}${display(destText)}`;
      if (/^\/dev\/(?:tcp|udp)\//.test(destText)) {
        this.networkRedirect(destText, label);
        out.network = true;
        if (op.startsWith('<') || op === '<>') out.stdin = { kind: 'unknown', from: { download: true, decoded: false, secret: false } };
        if (op !== '<') out.stdoutRedirected = fd === '1' || op.startsWith('&');
        continue;
      }
      if (destWord.procSub && (op === '<' || op === '<>')) {
        out.stdin = destWord.procSub;
        continue;
      }
      const ref = resolvePathText(this.run, destText, scope.cwd, {});
      if (op === '<' || op === '<>') {
        const secret = judgeRead(this.run, ref, { verb: label });
        out.stdin = { kind: 'file', path: ref ? ref.path : null, from: secret ? { download: false, decoded: false, secret: true } : PLAIN };
        if (op === '<') continue;
      }
      const stdoutToo = fd === '1' || op === '&>' || op === '&>>' || (op === '>&' && !fdNode);
      judgeDynamicWrite(this.run, destText, label);
      if (stdoutToo) {
        out.stdoutTargets.push({ raw: label, text: ref ? ref.path : null, append: op.endsWith('>>') });
        out.stdoutRedirected = true;
      } else judgeWrite(this.run, ref, { verb: label });
    }
    return out;
  }

  /** After the command ran: judge and record what its stdout wrote. */
  private commitRedirects(r: Redirections, output: DataSource, scope: Scope, verb: string): void {
    for (const t of r.stdoutTargets) {
      const ref = t.text === null ? null : resolvePathText(this.run, t.text, scope.cwd);
      const content = output.kind === 'text' ? output.text : undefined;
      const opts: { verb: string; content?: string } = { verb: `${verb} (${t.raw})` };
      if (content !== undefined) opts.content = content;
      judgeWrite(this.run, ref, opts);
      if (isEndlessOutput(output) && !(ref && isDeviceSink(ref.path))) this.run.add('proc.resource-exhaustion', `${verb} writes an endless stream to ${display(t.raw)}: the disk fills`);
      // a file other tools run later (package.json scripts, Makefile, .vscode/tasks.json, git config):
      // what it plants is judged now, as for a patch
      if (ref && content !== undefined) this.walker.written(ref.path, content, opts.verb, scope);
      if (ref) {
        const from = sourceProvenance(output);
        const prev = t.append ? this.run.writes.get(ref.path) : undefined;
        // appending to a file as it was on disk: what the agent added is known and is what is judged
        // when the file runs (the rest is the user's), as for a patch's added lines and `tee -a`
        if (output.kind === 'text' && (!t.append || prev === undefined || prev.kind === 'text')) {
          const appended = t.append && (prev === undefined || (prev.kind === 'text' && prev.appended === true));
          this.run.writes.set(ref.path, { kind: 'text', text: (prev?.kind === 'text' ? prev.text : '') + output.text, from, ...(appended ? { appended: true as const } : {}) });
        }
        else this.run.writes.set(ref.path, { kind: 'unknown', from });
      }
    }
  }

  private heredoc(r: ShellNode, scope: Scope, ev: WordEvaluator): DataSource {
    const start = r.children.find((c) => c.type === 'heredoc_start');
    const bodyNode = r.children.find((c) => c.type === 'heredoc_body');
    const endNode = r.children.find((c) => c.type === 'heredoc_end');
    const dash = r.children.some((c) => !c.named && c.type === '<<-');
    const delim = start ? this.text(start) : '';
    const quoted = /['"\\]/.test(delim);
    const src = this.tree.source;
    // tree-sitter's heredoc_body skips leading blanks: the body really starts on the line after the operator.
    const nl = start ? src.indexOf('\n', start.end) : -1;
    const bodyStart = nl >= 0 ? nl + 1 : (bodyNode?.start ?? r.end);
    const bodyEnd = endNode ? src.lastIndexOf('\n', endNode.start - 1) + 1 : bodyNode?.end ?? r.end;
    if (bodyEnd <= bodyStart) return { kind: 'text', text: '', from: PLAIN };
    let text: string;
    let from: Provenance = PLAIN;
    if (quoted || !bodyNode) text = src.slice(bodyStart, bodyEnd);
    else {
      const h = ev.heredoc(bodyNode);
      text = src.slice(bodyStart, Math.max(bodyStart, bodyNode.start)) + h.text + src.slice(Math.max(bodyNode.end, bodyStart), bodyEnd);
      from = h.from;
    }
    if (dash) text = text.replace(/^\t+/gm, '');
    return { kind: 'text', text, from };
  }

  private networkRedirect(dest: string, label: string): void {
    const m = /^\/dev\/(?:tcp|udp)\/([^/]+)\/(\S+)/.exec(dest);
    const host = m?.[1] ?? '';
    if (host.includes(UNKNOWN) || !isLoopbackHost(host)) this.run.add('net.outbound', `${label} opens a network connection to ${display(host) || 'a host'}`);
  }
}

/** Flatten nested pipelines into their stages. */
function flattenPipeline(node: ShellNode): ShellNode[] {
  const out: ShellNode[] = [];
  for (const c of node.children) {
    if (!c.named || c.type === 'comment') continue;
    if (c.type === 'pipeline') out.push(...flattenPipeline(c));
    else out.push(c);
  }
  return out;
}

/** Combine several outputs (a group's statements) into one. */
function combine(outs: DataSource[]): DataSource {
  const nonEmpty = outs.filter((o) => !(o.kind === 'text' && o.text === ''));
  if (nonEmpty.length === 0) return EMPTY_INPUT;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  if (nonEmpty.every((o) => o.kind === 'text')) {
    return {
      kind: 'text',
      text: nonEmpty.map((o) => (o as { text: string }).text).join(''),
      from: nonEmpty.reduce((p, o) => mergeProvenance(p, sourceProvenance(o)), PLAIN),
    };
  }
  return { kind: 'unknown', from: nonEmpty.reduce((p, o) => mergeProvenance(p, sourceProvenance(o)), PLAIN) };
}
