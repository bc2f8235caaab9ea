/**
 * `sed`: its scripts (inline, `-e`, `-f`), what `-i` edits in place, and the text it writes there
 * (a/i/c text and s/// replacements), which is judged like a redirect's.
 */
import type { Handler } from '../call.js';
import { judgeRead, judgeWrite } from '../pathRules.js';
import { EMPTY_INPUT, PLAIN } from '../shellValue.js';
import { runCode } from './scripts.js';
import { UNKNOWN_OUTPUT, optionValues, parseOptions, pathOf } from './support.js';

/** A sed address (`1`, `$`, `/re/`, `1,/re/`) and its `!`, at the start of a command. */
const SED_ADDRESS = String.raw`(?:(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)(?:,(?:\d+|\$|\/(?:[^/\\]|\\.)*\/))?\s*!?\s*)?`;

const SED_ADDRESS_AT_START = new RegExp(`^${SED_ADDRESS}`);

/** A line of a sed script that inserts, appends or changes to text: the address, the command, `\` and the text. */
const SED_TEXT_COMMAND = new RegExp(`^${SED_ADDRESS}([aic])(?:(\\\\)(.*)|[ \t]*(.*))$`);

/** Text sed writes, from the script's spelling: `\n` and `\t` are newline and tab, other escapes the character itself. */
function sedText(text: string): string {
  return text.replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}

/**
 * `sed`: `-i` writes its files, and the text its script puts into them (a/i/c text, s/// replacements)
 * is judged as planted there, as a redirect's would be; the `e` command and `s///e` execute; `w FILE`
 * writes.
 */
export const sed: Handler = (call) => {
  const run = call.exec.run;
  const o = parseOptions(call.argWords, { shortArg: 'efl', longArg: ['--expression', '--file', '--line-length'] });
  const inPlace = o.short.has('i') || [...o.long.keys()].some((k) => k === '--in-place');
  const scripts = optionValues(o, ['e', '--expression']).map((w) => w.text);
  let operands = o.operands;
  if (scripts.length === 0 && optionValues(o, ['f', '--file']).length === 0) {
    if (inPlace && operands[0]?.text === '' && operands.length > 2) operands = operands.slice(1);
    if (operands[0]) scripts.push(operands[0].text);
    operands = operands.slice(1);
  } else if (inPlace && operands[0]?.text === '') operands = operands.slice(1);
  for (const f of optionValues(o, ['f', '--file'])) judgeRead(run, pathOf(call, f), { verb: 'sed -f' });
  const script = scripts.join('\n');
  // text the script puts into the file: a/i/c text (to the end of its line) and s/// replacements
  const inserted: string[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = SED_TEXT_COMMAND.exec(lines[i]!.trim());
    if (!m) continue;
    // after `a\` the text keeps its leading blanks (a one-liner `a text` loses them)
    let text = m[2] ? m[3]! : m[4]!;
    // `a\` with its text on the lines that follow, each but the last ending in a backslash
    if (m[2] && text === '') while (i + 1 < lines.length) { const l = lines[++i]!; text += `${text ? '\n' : ''}${l.replace(/\\$/, '')}`; if (!l.endsWith('\\')) break; }
    inserted.push(sedText(text));
  }
  for (const seg of script.split(/[;\n]/)) {
    const s = seg.trim().replace(SED_ADDRESS_AT_START, '');
    if (/^e(?:\s|$)/.test(s)) {
      const cmd = s.slice(1).trim();
      if (cmd) runCode(call, 'sh', cmd, 'sed e');
      else run.add('exec.dynamic-code', 'sed e executes the pattern space as a command');
    } else if (/^w\s+\S/.test(s)) judgeWrite(run, pathOf(call, s.slice(1).trim()), { verb: 'sed w' });
    else if (s.startsWith('s') && s.length > 1) {
      const d = s[1]!;
      const parts: string[] = [];
      let cur = '';
      for (let k = 2; k < s.length; k++) {
        if (s[k] === '\\' && k + 1 < s.length) { cur += s[k]! + s[++k]!; continue; }
        if (s[k] === d) { parts.push(cur); cur = ''; continue; }
        cur += s[k];
      }
      parts.push(cur);
      const flags = parts[2] ?? '';
      if (parts[1]) inserted.push(sedText(parts[1]));
      if (/^[gpiImM0-9]*e/.test(flags)) run.add('exec.dynamic-code', 'sed s///e executes the result as a command');
      const wm = /w\s*(\S+)/.exec(flags);
      if (wm) judgeWrite(run, pathOf(call, wm[1]!), { verb: 'sed s///w' });
    }
  }
  for (const f of operands) {
    const ref = pathOf(call, f, { glob: f.glob });
    // in place, what sed reads goes back into the file, not to the agent (unless a command writes it to the terminal)
    judgeRead(run, ref, { verb: 'sed', ignoreDotenv: inPlace && !/\/dev\/(?:stdout|stderr|fd|tty|pts)|\/proc\/self\/fd/.test(script) });
    if (inPlace) {
      judgeWrite(run, ref, { verb: 'sed -i', content: script });
      if (ref) for (const text of inserted) call.exec.written(ref.path, text, 'sed -i', call.scope);
      if (ref) run.writes.set(ref.path, { kind: 'unknown', from: PLAIN });
    }
  }
  if (inPlace) return EMPTY_INPUT;
  const input = call.stdin.kind === 'terminal' ? UNKNOWN_OUTPUT : call.stdin;
  return { kind: 'unknown', from: input.kind === 'terminal' ? PLAIN : input.from };
};

