/**
 * Programs and subcommands that upload their local file arguments: cloud storage copies
 * (`gsutil cp`, `rclone copy`, `azcopy`, `s3cmd put`, `mc cp`, `b2 upload-file`, `az storage blob
 * upload`), GitHub CLI bodies and gists, mail attachments, SMB/FTP `put` scripts, peer-to-peer
 * senders. Each uploaded file is read: a secret is `exfil.upload-secret`, any other file
 * `exfil.upload-file` (what `curl -T` gets); `-` uploads stdin.
 */
import { posix } from 'node:path';
import type { Call } from '../call.js';
import { judgeRead } from '../pathRules.js';
import { inWorkspace, isTemp } from '../pathZones.js';
import type { ShellWord } from '../shellValue.js';
import { judgeStdinUpload } from './net.js';
import { display, pathOf, splitWords, wordsOf } from './support.js';

/** What one upload-capable invocation sends: local files (or `-` for stdin), and whether stdin goes too. */
interface Sent {
  files: ShellWord[];
  stdin: boolean;
  /** Files whose upload is expected (a PR body): judged only when they hold secrets or lie outside the workspace. */
  quiet?: ShellWord[];
}

const NOTHING: Sent = Object.freeze({ files: [], stdin: false }) as Sent;

/** Operands of a command line, skipping the values of options that take one. */
function operandsOf(words: readonly ShellWord[], valueOptions: RegExp): ShellWord[] {
  const out: ShellWord[] = [];
  for (let k = 0; k < words.length; k++) {
    const t = words[k]!.text;
    if (t === '--') return [...out, ...words.slice(k + 1)];
    if (t.startsWith('-') && t.length > 1) {
      if (!t.includes('=') && valueOptions.test(t)) k++;
      continue;
    }
    out.push(words[k]!);
  }
  return out;
}

/** Values of the given options (`-f X`, `--file X`, `--file=X`, `-fX` for single-letter ones). */
function valuesOf(words: readonly ShellWord[], options: RegExp): ShellWord[] {
  const out: ShellWord[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    const t = w.text;
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    if (eq > 0 && options.test(t.slice(0, eq))) out.push({ ...w, text: t.slice(eq + 1) });
    else if (options.test(t) && words[k + 1]) out.push(words[++k]!);
    else if (/^-[A-Za-z]./.test(t) && !t.startsWith('--') && options.test(t.slice(0, 2))) out.push({ ...w, text: t.slice(2) });
  }
  return out;
}

/**
 * A copy command (`SRC… DEST`) whose destination is remote: the local sources are uploaded.
 * `isRemote` tells remote locations from local paths.
 */
function copyUp(ops: readonly ShellWord[], isRemote: (t: string) => boolean): Sent {
  if (ops.length < 2) return NOTHING;
  const dest = ops[ops.length - 1]!;
  if (!isRemote(dest.text)) return NOTHING;
  return { files: ops.slice(0, -1).filter((s) => !isRemote(s.text)), stdin: false };
}

/** Cloud storage URLs (`gs://`, `s3://`, `az://`, `b2://`, `r2://`, `https://…`). */
const STORAGE_URL = /^(?:gs|s3|s3a|az|azure|b2|r2|oss|cos|wasbs?|abfss?|https?|ftp|sftp|webdav|davs?):\/\//i;
/** An rclone remote (`name:path`), not a Windows drive or a local path. */
const RCLONE_REMOTE = /^[A-Za-z0-9_. -]{2,}:|^:[a-z0-9]+:/;
/** A MinIO client location is remote unless it is an explicit local path. */
const mcRemote = (t: string) => !/^(?:\/|\.{1,2}(?:\/|$)|~)/.test(t) && t.includes('/');

/** The positionals (after global options) of a CLI with subcommands: `[sub, …rest]`. */
function subcommandOps(call: Call, valueOptions: RegExp = /^-(?:o|h|p|u|-config|-profile|-region)$/): ShellWord[] {
  return operandsOf(call.argWords, valueOptions);
}

/** Commands a `put`-style script sends (`smbclient -c`, `lftp -c|-e`, `tftp -c`): `put LOCAL`, `mput GLOB…`, `mirror -R DIR`. */
function scriptPuts(script: string, from: ShellWord['from']): ShellWord[] {
  const out: string[] = [];
  let lcd = '';
  const local = (f: string) => (lcd && !f.startsWith('/') && !f.startsWith('~') ? posix.join(lcd, f) : f);
  for (const cmd of script.split(/[;\n]|&&|\|\|/)) {
    const w = splitWords(cmd.trim());
    const verb = (w[0] ?? '').toLowerCase();
    const args = w.slice(1).filter((a) => !a.startsWith('-'));
    if (verb === 'lcd' && args[0]) lcd = local(args[0]);
    else if (/^(?:put|reput|send|append|upload)$/.test(verb) && args[0]) out.push(local(args[0]));
    else if (verb === 'mput') out.push(...args.map(local));
    else if (verb === 'mirror' && w.some((a) => a === '-R' || a === '--reverse') && args[0]) out.push(local(args[0]));
  }
  return wordsOf(out, from).map((w) => (/[*?[]/.test(w.text) ? { ...w, glob: true } : w));
}

/** `gh` options that take a value (outside `gh gist`, where `-p` is `--public`). */
const GH_VALUE_OPTIONS = /^-(?:R|-repo|X|-method|H|-header|F|-field|f|-raw-field|-input|t|-template|q|-jq|d|-desc|-description|b|-body|T|-title|a|-assignee|l|-label|m|-milestone|p|-project|B|-base|-head|n|-notes|-notes-file|-target|-cache|-hostname)$/;

/** GitHub CLI: gists, issue/PR bodies from files, release assets, `api -F k=@file` and `--input`. */
function ghSent(call: Call): Sent {
  const gist = call.argWords.find((w) => !w.text.startsWith('-'))?.text === 'gist';
  const ops = subcommandOps(call, gist ? /^-(?:d|-desc|f|-filename|a|-add)$/ : GH_VALUE_OPTIONS);
  const [a, b] = [ops[0]?.text, ops[1]?.text];
  const files: ShellWord[] = [];
  if (a === 'gist' && (b === 'create' || b === 'new')) files.push(...ops.slice(2));
  if (a === 'gist' && b === 'edit') files.push(...valuesOf(call.argWords, /^(?:-a|--add)$/));
  if (a === 'release' && (b === 'create' || b === 'upload')) files.push(...ops.slice(3).map((w) => ({ ...w, text: w.text.replace(/#.*$/, '') })));
  // a body or notes file is text meant for the issue: only secrets or files from outside the workspace matter
  const bodies = /^(?:issue|pr|release|discussion)$/.test(a ?? '') ? valuesOf(call.argWords, /^(?:-F|--body-file|--notes-file)$/) : [];
  if (a === 'api') {
    for (const f of valuesOf(call.argWords, /^(?:-F|--field)$/)) {
      const at = f.text.indexOf('=@');
      if (at > 0) files.push({ ...f, text: f.text.slice(at + 2) });
    }
    files.push(...valuesOf(call.argWords, /^--input$/));
  }
  if (a === 'repo' && b === 'deploy-key' && ops[2]?.text === 'add') files.push(...ops.slice(3));
  if (a === 'ssh-key' && b === 'add') files.push(...ops.slice(2));
  return { files, stdin: false, quiet: bodies };
}

/** `az storage blob upload -f FILE`, `upload-batch -s DIR`, `az storage file upload --source FILE`. */
function azSent(call: Call): Sent {
  const line = subcommandOps(call, /^-(?:-name|n|-resource-group|g|-subscription|-output|o|-query|-account-name|-container-name|c|-file|f|-source|s|-destination|d|-account-key|-connection-string|-sas-token|-type|-content-type|-pattern|-auth-mode|-share-name|-path|-overwrite|-tier)$/).map((w) => w.text).join(' ');
  if (!/^storage (?:blob|file|fs file|fs directory) (?:upload|upload-batch)\b|^storage (?:copy|azcopy blob upload)\b/.test(line)) return NOTHING;
  return { files: valuesOf(call.argWords, /^(?:-f|--file|-s|--source|--local-path)$/), stdin: false };
}

/** Mail clients: `-a`/`-A FILE` attachments; the message body comes from stdin. */
function mailSent(call: Call): Sent {
  return { files: valuesOf(call.argWords, /^(?:-a|-A|--attach)$/), stdin: true };
}

/** `swaks --attach FILE|@FILE`, `--data FILE|@FILE`, `--body @FILE`. */
function swaksSent(call: Call): Sent {
  const files = valuesOf(call.argWords, /^(?:--attach|--data|--body|--attach-body)$/)
    .filter((w) => w.text.startsWith('@') || !/\s/.test(w.text))
    .map((w) => ({ ...w, text: w.text.replace(/^@/, '') }));
  return { files, stdin: call.argWords.some((w) => w.text === '-') };
}

/** Programs whose every operand after a verb is a file sent to someone else (`croc send F`, `wormhole send F`). */
function sendVerb(verbs: RegExp): (call: Call) => Sent {
  return (call) => {
    const ops = subcommandOps(call, /^-(?:-code|c|-relay|-pass|-text|-code-length|-host|-expiry-time|-downloads|-password|-name)$/);
    return ops[0] && verbs.test(ops[0].text) ? { files: ops.slice(1), stdin: false } : NOTHING;
  };
}

/** Cloud storage CLIs with `cp`-style subcommands. */
function storageCopy(verbs: RegExp, isRemote: (t: string) => boolean, valueOptions?: RegExp): (call: Call) => Sent {
  return (call) => {
    const ops = subcommandOps(call, valueOptions);
    if (!ops[0] || !verbs.test(ops[0].text)) return NOTHING;
    const rest = ops.slice(1);
    if (ops[0].text === 'rcat' || ops[0].text === 'pipe') return { files: [], stdin: true };
    const sent = copyUp(rest, isRemote);
    return { ...sent, files: sent.files.filter((f) => f.text !== '-'), stdin: sent.files.some((f) => f.text === '-') };
  };
}

/** `b2 upload-file [opts] BUCKET LOCAL NAME`, `b2 file upload BUCKET LOCAL NAME`, `b2 sync LOCAL b2://…`. */
function b2Sent(call: Call): Sent {
  const ops = subcommandOps(call, /^-(?:-contentType|-info|-sha1|-threads|-minPartSize|-content-type|-cache-control)$/);
  const t = ops.map((w) => w.text);
  if (t[0] === 'upload-file' || t[0] === 'upload_file') return { files: ops.slice(2, 3), stdin: false };
  if (t[0] === 'file' && t[1] === 'upload') return { files: ops.slice(3, 4), stdin: false };
  if (t[0] === 'sync') return copyUp(ops.slice(1), (x) => /^b2:\/\//.test(x));
  return NOTHING;
}

/** `gcloud storage cp|mv|rsync`, `gcloud compute scp`. */
function gcloudSent(call: Call): Sent {
  const ops = subcommandOps(call, /^--(?:project|account|configuration|format|zone|region)$/);
  const t = ops.map((w) => w.text);
  if (t[0] === 'storage' && /^(?:cp|mv|rsync)$/.test(t[1] ?? '')) return copyUp(ops.slice(2), (x) => STORAGE_URL.test(x));
  if ((t[0] === 'compute' || t[0] === 'alpha' || t[0] === 'beta') && t.includes('scp')) return copyUp(ops.slice(t.indexOf('scp') + 1), (x) => /^[^/]*:/.test(x));
  return NOTHING;
}

/** `aws s3api put-object --body FILE`, and `fileb://` parameters that carry secrets. */
function awsSent(call: Call): Sent {
  const ops = subcommandOps(call, /^--(?:profile|region|output|endpoint-url|query|bucket|key)$/).map((w) => w.text);
  const files: ShellWord[] = [];
  if (ops[0] === 's3api' && /^(?:put-object|upload-part)$/.test(ops[1] ?? '')) files.push(...valuesOf(call.argWords, /^--body$/));
  // `--message file://.env`, `--zip-file fileb://build.zip`: the file's bytes go to the service
  const quiet = call.argWords.filter((w) => /^fileb?:\/\/./.test(w.text)).map((w) => ({ ...w, text: w.text.replace(/^fileb?:\/\//, '') }));
  return { files, stdin: false, quiet };
}

/** `glab snippet create -f FILE`, `glab snippet create FILE…`: the files are posted to GitLab. */
function glabSent(call: Call): Sent {
  const ops = subcommandOps(call, /^-(?:t|-title|d|-description|v|-visibility|R|-repo|f|-filename)$/);
  if (ops[0]?.text !== 'snippet' || !/^(?:create|new)$/.test(ops[1]?.text ?? '')) return NOTHING;
  return { files: [...valuesOf(call.argWords, /^(?:-f|--filename)$/), ...ops.slice(2)], stdin: false };
}

/** `docker cp SRC CONTAINER:DEST`: a host file put into a container, where whatever runs there reads it. */
function containerCopy(call: Call): Sent {
  const ops = subcommandOps(call, /^$/);
  if (ops[0]?.text !== 'cp' || ops.length !== 3 || !/^[\w.-]+:/.test(ops[2]!.text) || /^[\w.-]+:/.test(ops[1]!.text)) return NOTHING;
  return { files: [], stdin: false, quiet: [ops[1]!] };
}

/** Upload behaviour, by program. */
const UPLOADERS: Record<string, (call: Call) => Sent> = {
  gsutil: storageCopy(/^(?:cp|mv|rsync)$/, (t) => STORAGE_URL.test(t), /^-(?:o|h|p|u|j|z|x)$/),
  gcloud: gcloudSent,
  azcopy: storageCopy(/^(?:copy|cp|sync)$/, (t) => STORAGE_URL.test(t), /^--(?:include-pattern|exclude-pattern|from-to|log-level|block-size-mb|cap-mbps|include-path|exclude-path|list-of-files)$/),
  rclone: storageCopy(/^(?:copy|copyto|sync|move|moveto|bisync|rcat|copyurl)$/, (t) => RCLONE_REMOTE.test(t), /^--(?:config|include|exclude|filter|filter-from|include-from|exclude-from|files-from|transfers|checkers|bwlimit|log-file|log-level|max-age|min-age|max-size|min-size|backup-dir|suffix)$/),
  s3cmd: storageCopy(/^(?:put|sync|mv|cp)$/, (t) => /^s3:\/\//.test(t), /^-(?:c|-config|-mime-type|-exclude|-include|-rexclude|-rinclude|-storage-class)$/),
  mc: storageCopy(/^(?:cp|mv|mirror|put|pipe)$/, mcRemote, /^--(?:config-dir|C|attr|storage-class|encrypt|encrypt-key|tags|older-than|newer-than)$/),
  b2: b2Sent,
  az: azSent,
  aws: awsSent,
  gh: ghSent,
  mail: mailSent, mailx: mailSent, 'bsd-mailx': mailSent, 'heirloom-mailx': mailSent, s_nail: mailSent, 's-nail': mailSent,
  mutt: mailSent, neomutt: mailSent, sendmail: () => ({ files: [], stdin: true }), msmtp: () => ({ files: [], stdin: true }),
  ssmtp: () => ({ files: [], stdin: true }), swaks: swaksSent,
  smbclient: (call) => ({ files: valuesOf(call.argWords, /^(?:-c|--command)$/).flatMap((c) => scriptPuts(c.text, c.from)), stdin: false }),
  lftp: (call) => ({ files: valuesOf(call.argWords, /^(?:-c|-e)$/).flatMap((c) => scriptPuts(c.text, c.from)), stdin: false }),
  tftp: (call) => ({ files: valuesOf(call.argWords, /^(?:-c)$/).flatMap((c) => scriptPuts(c.text, c.from)), stdin: false }),
  croc: sendVerb(/^send$/),
  wormhole: sendVerb(/^(?:send|tx)$/),
  ffsend: sendVerb(/^(?:upload|up|u)$/),
  glab: glabSent,
  docker: containerCopy, podman: containerCopy,
  // `tailscale file cp FILE… HOST:`: sent to another machine of the tailnet
  tailscale: (call) => {
    const ops = subcommandOps(call, /^--(?:name|targets|verbose)$/);
    return ops[0]?.text === 'file' && ops[1]?.text === 'cp' && ops.length > 3 ? { files: ops.slice(2, -1), stdin: false } : NOTHING;
  },
  pastebinit: (call) => ({ files: operandsOf(call.argWords, /^-[abfilmtuPj]$/), stdin: true }),
};

/** Judge one uploaded local file (or directory, read recursively). */
function judgeSentFile(call: Call, word: ShellWord, what: string): void {
  const run = call.exec.run;
  if (word.text === '-' || word.text === '/dev/stdin') {
    judgeStdinUpload(call, true, what);
    return;
  }
  const ref = pathOf(call, word.text, { glob: word.glob });
  const secret = judgeRead(run, ref ? { ...ref, scope: ref.scope === 'exact' ? 'contents' : ref.scope } : ref, { verb: what });
  if (secret || word.from.secret) run.add('exfil.upload-secret', `${what} uploads ${display(word.text)}, which holds secrets`);
  else run.add('exfil.upload-file', `${what} uploads the file ${display(word.text)}`);
}

/** Judge the local files (and stdin) a program uploads, when it is an upload-capable program. */
export function judgeFileUploads(call: Call): void {
  const sent = Object.hasOwn(UPLOADERS, call.program) ? UPLOADERS[call.program]!(call) : undefined;
  if (!sent) return;
  const what = `${call.program}${call.args[0] && !call.args[0].startsWith('-') ? ' ' + display(call.args[0]) : ''}`;
  for (const f of sent.files) judgeSentFile(call, f, what);
  for (const f of sent.quiet ?? []) if (!expectedUpload(call, f, what)) judgeSentFile(call, f, what);
  if (sent.stdin) judgeStdinUpload(call, true, what);
}

/** True for a workspace or temporary file without secrets (judged silently: it is read, not flagged). */
function expectedUpload(call: Call, word: ShellWord, what: string): boolean {
  if (word.text === '-' || word.from.secret) return word.text === '-' && call.stdin.kind === 'terminal';
  const ref = pathOf(call, word.text);
  if (!ref || ref.scope !== 'exact') return false;
  const z = call.exec.run.zones;
  if (!(inWorkspace(ref.real, z) || isTemp(ref.real))) return false;
  return judgeRead(call.exec.run, { ...ref, scope: 'contents' }, { verb: what }) === null;
}
