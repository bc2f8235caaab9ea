/**
 * Applying diffs and dotfiles: `patch`, `git apply`, `apply_patch` envelopes run through the shell,
 * and dotfile managers (stow, chezmoi). A diff the agent wrote is judged by the files it touches.
 */
import { posix } from 'node:path';
import type { Call, Handler } from '../call.js';
import { judgeDelete, judgeWrite } from '../pathRules.js';
import { containsProtectedRoot } from '../pathZones.js';
import { type DataSource, EMPTY_INPUT } from '../shellValue.js';
import { UNKNOWN_OUTPUT, display, optionValue, optionValues, parseOptions, pathOf } from './support.js';

/** Files a unified diff (or an apply_patch envelope) writes, with `-pN` prefix stripping. */
export function diffTargets(text: string, strip: number): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/^(?:\+\+\+|---) (\S+)/gm)) {
    const p = m[1]!;
    if (p === '/dev/null') continue;
    out.add(strip > 0 ? p.split('/').slice(strip).join('/') || p : p);
  }
  for (const m of text.matchAll(/^\*\*\* (?:Add|Update|Delete) File: (.+)$/gm)) out.add(m[1]!.trim());
  for (const m of text.matchAll(/^\*\*\* Move to: (.+)$/gm)) out.add(m[1]!.trim());
  return [...out];
}

/** `apply_patch <<'EOF' … EOF` run through the shell: every file in the envelope is judged. */
export function applyEnvelope(call: Call): DataSource {
  const run = call.exec.run;
  const text = call.stdin.kind === 'text' ? call.stdin.text : call.args.join('\n');
  for (const m of text.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)) {
    const ref = pathOf(call, m[2]!.trim());
    if (m[1] === 'Delete') judgeDelete(run, ref, { recursive: false, verb: 'apply_patch (delete)' });
    else judgeWrite(run, ref, { verb: `apply_patch (${m[1]!.toLowerCase()})` });
  }
  for (const m of text.matchAll(/^\*\*\* Move to: (.+)$/gm)) judgeWrite(run, pathOf(call, m[1]!.trim()), { verb: 'apply_patch (move to)' });
  return EMPTY_INPUT;
}

/** `patch [-pN] [-d DIR] [< FILE | -i FILE]`, `git apply FILE`: a diff the agent wrote is judged by the files it touches. */
export const applyDiff: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'pdiorBDFVYzx', longArg: ['--strip', '--directory', '--input', '--output', '--reject-file', '--exclude', '--include'] });
  const git = call.program === 'git';
  const stripText = optionValue(o, ['p', '--strip'])?.text;
  const strip = stripText !== undefined ? Number(stripText) || 0 : git ? 1 : 0;
  const dir = optionValue(o, ['d', '--directory'])?.text;
  const files = git ? o.operands.slice(1) : optionValues(o, ['i', '--input']);
  const sources: string[] = [];
  for (const f of files) {
    const ref = pathOf(call, f);
    const c = ref ? run.contentOf(ref.path) : undefined;
    if (c?.kind === 'text') sources.push(c.text);
  }
  if (!git || files.length === 0) {
    if (call.stdin.kind === 'text') sources.push(call.stdin.text);
    else if (call.stdin.kind === 'file' && call.stdin.path) {
      const c = run.contentOf(call.stdin.path);
      if (c?.kind === 'text') sources.push(c.text);
    }
  }
  const verb = git ? 'git apply' : 'patch';
  for (const text of sources) {
    for (const t of diffTargets(text, strip)) judgeWrite(run, pathOf(call, dir && !t.startsWith('/') ? posix.join(dir, t) : t), { verb });
  }
  // `patch FILE [DIFF]` changes FILE whatever the diff says
  const target = git ? undefined : o.operands[0];
  if (target) judgeWrite(run, pathOf(call, target), { verb });
  // a diff that cannot be read writes somewhere below the directory it is applied in
  if (sources.length === 0 && !target) judgeUnseenWritesBelow(call, dir ?? call.scope.cwd, `${verb} (a diff that cannot be inspected)`);
  return UNKNOWN_OUTPUT;
};

/**
 * Files written somewhere below `base`, which ones not known (a diff that cannot be read, a dotfile
 * manager's packages): judged as a write there; home, or a directory holding what VAIBOT or Codex
 * relies on, may get any of its files replaced.
 */
function judgeUnseenWritesBelow(call: Call, base: string | null, verb: string): void {
  const run = call.exec.run;
  const ref = base ? pathOf(call, base) : null;
  if (!ref) return;
  judgeWrite(run, { ...ref, scope: 'contents' }, { verb });
  if (ref.real === run.zones.home || containsProtectedRoot(ref.real, run.zones))
    run.add('self.write-protected', `${verb} writes files below ${display(base!)}, among them ones VAIBOT or Codex relies on`);
}

/** `stow [-t DIR] PKG…` (links into the parent directory by default), `chezmoi apply|update|init --apply`: dotfiles put into place. */
export const dotfileManager: Handler = (call) => {
  if (call.program === 'stow') {
    if (call.args.some((a) => /^-(?:[a-zA-Z]*n|-no|-simulate)$/.test(a))) return UNKNOWN_OUTPUT;
    const k = call.args.findIndex((a) => a === '-t' || a === '--target');
    const eq = call.args.find((a) => a.startsWith('--target='));
    const target = k >= 0 ? call.args[k + 1] ?? null : eq ? eq.slice(9) : call.scope.cwd ? posix.dirname(call.scope.cwd) : null;
    judgeUnseenWritesBelow(call, target, 'stow');
  } else if (/^(?:apply|update|import)$/.test(call.args[0] ?? '') || (call.args[0] === 'init' && call.args.includes('--apply'))) {
    const k = call.args.findIndex((a) => a === '-D' || a === '--destination');
    judgeUnseenWritesBelow(call, k >= 0 ? call.args[k + 1] ?? null : call.exec.run.zones.home, `chezmoi ${call.args[0]}`);
  }
  return UNKNOWN_OUTPUT;
};


