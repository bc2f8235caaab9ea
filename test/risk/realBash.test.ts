/**
 * The classifier's view of what runs, checked against real bash: each command runs in a temporary
 * directory with a harmless stand-in `rm` first on PATH that only logs its arguments. The argument
 * vectors bash gives the stand-in must equal the ones the classifier says `rm` gets.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify } from '../../src/risk/classify.js';

const hasBash = spawnSync('bash', ['-c', 'true']).status === 0;

let root: string;
let home: string;
let work: string;
let bin: string;
let log: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'vaibot-realbash-'));
  home = join(root, 'home');
  work = join(home, 'work');
  bin = join(root, 'bin');
  log = join(root, 'rm.log');
  mkdirSync(work, { recursive: true });
  mkdirSync(bin);
  writeFileSync(join(bin, 'rm'), `#!/bin/sh\n{ printf 'rm'; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> "${log}"\n`);
  chmodSync(join(bin, 'rm'), 0o755);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** What bash runs: the argument vectors the stand-in rm received. */
function bashRuns(command: string): string[][] {
  if (existsSync(log)) writeFileSync(log, '');
  execFileSync('bash', ['-c', command], {
    cwd: work,
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: home, LANG: 'C' },
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: 10_000,
  });
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t').slice(1));
}

/** What the classifier says runs. */
function classifierRuns(command: string): string[][] {
  const a = classify(
    { tool: 'Bash', cwd: work, body: { kind: 'shell', command } },
    { home, vaibotHome: join(home, '.vaibot'), codexHome: join(home, '.codex'), resolvePath: (p) => p },
  );
  return (a.commands ?? []).filter((c) => c.program === 'rm').map((c) => c.args);
}

const SPELLINGS = [
  "r''m -rf ~",
  '"r"m -rf ~/x',
  '\\rm -rf ~',
  "$'\\x72m' -rf /tmp/vaibot-nothing",
  "$'\\162\\155' -f q",
  'a=rm; $a -rf ~',
  'c="rm -rf /"; $c',
  'cmd=(rm -rf "a b"); "${cmd[@]}"',
  'x=${y:-rm}; $x -f q',
  'p=xrm; ${p#x} -f q',
  'p=rX; ${p/X/m} -f q',
  'set -- rm -f z; "$@"',
  '$(echo rm) -rf ~',
  '`echo rm` -f q',
  'eval "rm -rf ~"',
  "bash -c 'rm -rf \"$1\"' _ ~/dir",
  "sh -c 'rm -f q'",
  'rm -rf {a,b}/c',
  'rm -rf ~/{x,y}',
  'rm -f a{1..3}',
  'env rm -f q',
  'env -i PATH="$PATH" rm -f q',
  'command rm -f q',
  'timeout 5 rm -f q',
  'nice -n 5 rm -f q',
  'echo ~ | xargs rm -rf',
  'echo a b | xargs -n1 rm -f',
  'f() { rm -rf "$1"; }; f ~/z',
  'printf -v c %s rm; $c -f q',
  'rm -f "$HOME"/\'x y\'',
  'echo cm0gLXJmIH4= | base64 -d | sh',
  'cat <<EOF | bash\nrm -f q\nEOF',
  'bash <(echo "rm -f q")',
  'sh -c "$(echo rm -f q)"',
  'for d in a b; do rm -f $d; done',
  'X=/tmp; rm -rf $X/vaibot-zz',
  'rm -rf "${HOME}"/.cache/x',
  "echo 'rm -f q' > s.sh; bash s.sh",
  'rm -- -x',
  'rm -f a\\ b',
  'true && rm -f q || rm -f never',
  '(cd /tmp && rm -f q)',
  'x="a  b"; rm -f $x "$x"',
  'rm -f ${HOME:+set}',
  'u=; rm -f ${u:-default}',
  'arr=(one two); rm -f "${arr[1]}" ${arr[@]}',
];

describe.skipIf(!hasBash)('the classifier expands commands the way bash does', () => {
  for (const cmd of SPELLINGS) {
    it(JSON.stringify(cmd), () => {
      const expected = bashRuns(cmd);
      expect(expected.length, 'the stand-in ran').toBeGreaterThan(0);
      // The classifier also judges branches bash does not take (`|| rm -f never`): compare what bash ran.
      const got = classifierRuns(cmd);
      for (const argv of expected) expect(got).toContainEqual(argv);
    });
  }
});
