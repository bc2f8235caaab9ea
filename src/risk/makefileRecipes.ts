/**
 * What `make GOAL…` runs from a makefile's text: the recipes of the goals (the default goal when
 * none is named) and of their prerequisites, every `$(shell …)` and `VAR != cmd` evaluated while
 * the makefile is read, and included makefiles. Make variables are expanded where they are simple.
 */

/** One explicit rule: its prerequisites and recipe lines. */
interface MakeRule {
  prereqs: string[];
  recipe: string[];
}

/** A makefile read into rules, variables and the commands run while reading it. */
interface ParsedMakefile {
  rules: Map<string, MakeRule>;
  vars: Map<string, string>;
  /** Commands run whatever the goal: `$(shell …)`, `VAR != cmd`, recipe lines of unknown rules. */
  always: string[];
  /** Recipes of pattern rules (`%.o: %.c`), run when a goal has no explicit rule. */
  patterns: string[];
  defaultGoal: string | undefined;
}

/** Values of make's built-in variables that recipes commonly use. */
const BUILTIN_VARS: Record<string, string> = { MAKE: 'make', CC: 'cc', CXX: 'c++', CPP: 'cc -E', AR: 'ar', RM: 'rm -f', LD: 'ld', AS: 'as', FC: 'f77', LEX: 'lex', YACC: 'yacc', INSTALL: 'install', SHELL: '/bin/sh', MKDIR_P: 'mkdir -p' };

/** Environment variables make passes through as variables (`$(HOME)`): left for the shell to expand. */
const ENV_VARS = /^(?:HOME|USER|LOGNAME|PWD|TMPDIR|XDG_[A-Z_]+|GOPATH|CARGO_HOME|npm_config_prefix)$/;

const ASSIGN = /^(?:(?:override|export|private)\s+)*([A-Za-z_.][\w.-]*)\s*(::?=|:::=|\+=|\?=|!=|=)\s*(.*)$/;
const INCLUDE = /^(?:-include|sinclude|include)\s+(.+)$/;
const RULE = /^([^\t#=:][^=:]*?)\s*(::?)(?!=)\s*(.*)$/;

/** Replace `$(NAME)`/`${NAME}` references (a few passes), built-ins, then unknown references by nothing. */
export function expandMakeVars(text: string, vars: ReadonlyMap<string, string>): string {
  let out = text;
  for (let pass = 0; pass < 4 && /\$[({][\w.-]+[)}]/.test(out); pass++) {
    out = out.replace(/\$[({]([\w.-]+)[)}]/g, (m, name: string) => vars.get(name) ?? BUILTIN_VARS[name] ?? (pass < 3 ? m : ENV_VARS.test(name) ? `\${${name}}` : name === 'CURDIR' ? '.' : ''));
  }
  return out;
}

/** The `$(shell …)` commands in a piece of makefile text. */
function shellCalls(text: string): string[] {
  return [...text.matchAll(/\$[({]shell\s+((?:[^()]|\([^()]*\))*)[)}]/g)].map((m) => m[1]!);
}

/** Read a makefile's lines into rules and variables; `include` lines are resolved through `include`. */
function parseMakefile(text: string, include: (name: string) => string | undefined): ParsedMakefile {
  const mf: ParsedMakefile = { rules: new Map(), vars: new Map(), always: [], patterns: [], defaultGoal: undefined };
  let current: MakeRule[] | null = null;
  let currentPattern = false;
  let inDefine = false;
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (let k = 0; k < lines.length && k < 20_000; k++) {
    const l = lines[k]!;
    if (inDefine) {
      if (/^\s*endef\b/.test(l)) inDefine = false;
      else mf.always.push(...shellCalls(l));
      continue;
    }
    if (l.startsWith('\t')) {
      const cmd = l.slice(1).replace(/^[@+\s-]+/, '');
      if (current === null) mf.always.push(cmd);
      else if (currentPattern) mf.patterns.push(cmd);
      else for (const r of current) r.recipe.push(cmd);
      continue;
    }
    const line = l.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (line === '') continue;
    if (/^define\b/.test(line)) { inDefine = true; continue; }
    mf.always.push(...shellCalls(line));
    const inc = INCLUDE.exec(line);
    if (inc) {
      for (const name of expandMakeVars(inc[1]!, mf.vars).split(/\s+/).filter(Boolean)) {
        const t = include(name);
        if (t !== undefined) lines.splice(k + 1, 0, ...t.replace(/\\\r?\n/g, ' ').split(/\r?\n/));
      }
      continue;
    }
    const assign = ASSIGN.exec(line);
    if (assign) {
      const [, name, op, value] = assign as unknown as [string, string, string, string];
      if (op === '!=') mf.always.push(value);
      else if (name === '.DEFAULT_GOAL') mf.defaultGoal = value.trim();
      else mf.vars.set(name, op === '+=' ? `${mf.vars.get(name) ?? ''} ${value}`.trim() : value);
      current = null;
      continue;
    }
    const rule = RULE.exec(line);
    if (!rule) continue;
    const targets = expandMakeVars(rule[1]!, mf.vars).split(/\s+/).filter(Boolean);
    const rest = rule[3]!;
    if (/^[\w.-]+\s*(?::?=|\+=|\?=)/.test(rest)) { current = null; continue; } // target-specific variable
    const semi = rest.indexOf(';');
    const prereqs = expandMakeVars(semi >= 0 ? rest.slice(0, semi) : rest, mf.vars).replace(/\|/g, ' ').split(/\s+/).filter(Boolean);
    currentPattern = targets.some((t) => t.includes('%'));
    current = [];
    for (const t of targets) {
      if (!currentPattern && mf.defaultGoal === undefined && !t.startsWith('.')) mf.defaultGoal = t;
      let r = mf.rules.get(t);
      if (!r) mf.rules.set(t, (r = { prereqs: [], recipe: [] }));
      r.prereqs.push(...prereqs);
      current.push(r);
    }
    if (semi >= 0) {
      const cmd = rest.slice(semi + 1).trim();
      if (currentPattern) mf.patterns.push(cmd);
      else for (const r of current) r.recipe.push(cmd);
    }
  }
  return mf;
}

/** Replace make's automatic variables in one target's recipe line. */
function automatic(cmd: string, target: string, prereqs: readonly string[]): string {
  return cmd.replace(/\$[@<^+?*|]|\$[({][@<^+?*][DF]?[)}]/g, (m) => (m.includes('@') ? target : m.includes('<') ? prereqs[0] ?? '' : m.includes('*') ? target.replace(/\.[^.]*$/, '') : prereqs.join(' ')));
}

/** Every recipe of a makefile, or of part of one (an included file, an edit's added lines), whatever goal is asked. */
export function allMakefileRecipes(text: string): string[] {
  // a goal no rule names makes every recipe count (see below)
  return makefileRecipes(text, ['\u0000any']);
}

/**
 * The shell commands `make GOALS` runs from a makefile: the goals' recipes and their
 * prerequisites' (transitively), plus whatever runs while the makefile is read.
 * @param goals the goals named on the command line (none: the default goal)
 * @param include the text of an included makefile, when known
 */
export function makefileRecipes(text: string, goals: readonly string[], include: (name: string) => string | undefined = () => undefined): string[] {
  const mf = parseMakefile(text, include);
  const out: string[] = [...mf.always];
  const wanted = goals.length > 0 ? [...goals] : mf.defaultGoal !== undefined ? [mf.defaultGoal] : [];
  const seen = new Set<string>();
  let unknownGoal = false;
  while (wanted.length > 0 && seen.size < 2000) {
    const t = wanted.shift()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const r = mf.rules.get(t);
    if (!r) {
      if (goals.includes(t)) unknownGoal = true;
      continue;
    }
    for (const c of r.recipe) out.push(automatic(c, t, r.prereqs));
    wanted.push(...r.prereqs);
  }
  for (const c of mf.patterns) out.push(automatic(c, 'target', ['prerequisite']));
  // A goal with no rule here: this may be part of a makefile (an edit), so every recipe may run.
  if (unknownGoal) for (const [t, r] of mf.rules) if (!seen.has(t)) for (const c of r.recipe) out.push(automatic(c, t, r.prereqs));
  return out.map((c) => expandMakeVars(c, mf.vars).replace(/\$[({]shell\s+/g, '$(').replace(/\$\$/g, '$')).filter((c) => c.trim() !== '');
}
