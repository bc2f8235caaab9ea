/**
 * Archivers that can delete what they archive (`zip -m`, `7z a -sdel`, `rar m` / `rar a -df`):
 * the inputs are judged as deleted, as well as read; `zip -TT CMD` runs CMD to test the archive.
 */
import type { Call, Handler } from '../call.js';
import { judgeDelete, judgeRead, judgeWrite } from '../pathRules.js';
import { type ShellWord, EMPTY_INPUT } from '../shellValue.js';
import { runCode } from './scripts.js';
import { pathOf } from './support.js';

/** zip options that take the next word as their value. */
const ZIP_ARG = /^-(?:b|n|t|tt|P|O|Z|s|sp|ds|lf|Y)$|^--(?:temp-path|suffixes|from-date|before-date|password|output-file|compression-method|split-size|logfile-path|split-size|encrypt-method)$/;

/** Judge archiving `inputs` into `archive`, deleting the inputs when `move`. */
function judgeArchive(call: Call, archive: ShellWord | undefined, inputs: readonly ShellWord[], opts: { recursive: boolean; move: boolean; verb: string }): void {
  const run = call.exec.run;
  if (archive && archive.text !== '-') judgeWrite(run, pathOf(call, archive), { verb: opts.verb });
  for (const w of inputs) {
    const ref = pathOf(call, w, { glob: w.glob });
    judgeRead(run, ref && opts.recursive ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, { verb: opts.verb });
    if (opts.move) judgeDelete(run, ref, { recursive: opts.recursive, verb: `${opts.verb} (deletes the originals)` });
  }
}

/** `zip [opts] ARCHIVE FILE…`: `-m`/`--move` deletes the inputs, `-TT`/`--unzip-command` runs a command. */
const zip: Handler = (call) => {
  const w = call.argWords;
  const ops: ShellWord[] = [];
  let move = false;
  let recursive = false;
  const commands: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!.text;
    if (t === '-TT' || t === '--unzip-command') { if (w[i + 1]) commands.push(w[++i]!.text); continue; }
    if (t.startsWith('--unzip-command=')) { commands.push(t.slice(16)); continue; }
    if (t === '--move') { move = true; continue; }
    if (t === '--recurse-paths' || t === '--recurse-patterns') { recursive = true; continue; }
    if (/^-[xi]$|^--(?:exclude|include)$/.test(t)) { while (w[i + 1] && !w[i + 1]!.text.startsWith('-')) i++; continue; }
    if (ZIP_ARG.test(t)) { i++; continue; }
    if (/^-[A-Za-z0-9@$]+$/.test(t)) {
      if (t.includes('m')) move = true;
      if (/[rR]/.test(t)) recursive = true;
      continue;
    }
    if (!t.startsWith('-') || t === '-') ops.push(w[i]!);
  }
  const archive = ops[0];
  for (const c of commands) runCode(call, 'sh', c.includes('{}') ? c.split('{}').join(archive?.text ?? 'archive.zip') : `${c} ${archive?.text ?? ''}`, 'zip -TT');
  judgeArchive(call, archive, ops.slice(1), { recursive, move, verb: move ? 'zip -m' : 'zip' });
  return EMPTY_INPUT;
};

/** `7z a|u [switches] ARCHIVE FILE…`: `-sdel` deletes the files once archived. */
const sevenZip: Handler = (call) => {
  const words = call.argWords.filter((x) => !x.text.startsWith('-'));
  const cmd = words[0]?.text ?? '';
  // `7z x -oDIR ARCHIVE`: what the archive holds lands below DIR (the current directory without -o)
  if (cmd === 'x' || cmd === 'e') {
    const out = call.argWords.find((x) => x.text.startsWith('-o') && x.text.length > 2);
    const dest = pathOf(call, out ? out.text.slice(2) : '.');
    judgeWrite(call.exec.run, dest ? { ...dest, scope: 'under' } : dest, { verb: `${call.program} ${cmd}` });
    return EMPTY_INPUT;
  }
  if (cmd !== 'a' && cmd !== 'u') return EMPTY_INPUT;
  const move = call.args.includes('-sdel');
  judgeArchive(call, words[1], words.slice(2), { recursive: true, move, verb: move ? `${call.program} -sdel` : call.program });
  return EMPTY_INPUT;
};

/** `rar m ARCHIVE FILE…` (move into the archive), `rar a -df …` (delete files after archiving). */
const rar: Handler = (call) => {
  const words = call.argWords.filter((x) => !x.text.startsWith('-'));
  const cmd = words[0]?.text ?? '';
  if (!/^(?:a|u|m|mf)$/.test(cmd)) return EMPTY_INPUT;
  const move = cmd.startsWith('m') || call.args.some((a) => a === '-df' || a === '-dr');
  judgeArchive(call, words[1], words.slice(2), { recursive: call.args.some((a) => /^-r\d*$/.test(a)) || move, move, verb: `rar ${cmd}` });
  return EMPTY_INPUT;
};

/** Archivers that may delete their inputs, by program name. */
export const archiveMoves: Record<string, Handler> = {
  zip,
  '7z': sevenZip, '7za': sevenZip, '7zz': sevenZip, '7zr': sevenZip,
  rar,
};
