/**
 * Judging interpreter code (`python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `lua -e`, awk
 * programs, and script files the agent wrote): the commands it runs (classified as shell), the
 * files it deletes, writes and reads, network use, dynamic evaluation, environment dumps.
 */
import type { Call } from './call.js';
import { codeBindings } from './codeBindings.js';
import { argRegion, type CodeToken, exprValue, lexCode, matchClose, splitArgs } from './codeLexer.js';
import { type ScriptLang, pathOf } from './commands/support.js';
import { isApprovalUrl, isCloudMetadataHost, isLoopbackHost, joinsToApprovalUrl, urlHost } from './network.js';
import { judgeDelete, judgeMeta, judgeRead, judgeWrite } from './pathRules.js';
import { protectedKind, secretKind } from './pathZones.js';
import { codeOutOfBudget } from './codeBudget.js';
import { judgeSql } from './commands/databaseClients.js';
import { nestedScope } from './scope.js';
import { type DataSource, PLAIN, UNKNOWN } from './shellValue.js';
import { isSecretVarName } from './secretNames.js';

type Kind = 'shell' | 'argv' | 'spawn' | 'delete' | 'rdelete' | 'write' | 'read' | 'open' | 'copy' | 'move' | 'meta' | 'eval' | 'interactive';

interface Api {
  /** Matches the last name segment of a call (`system`, `rmtree`, `writeFileSync`). */
  name: RegExp;
  kind: Kind;
  /** Required qualifier of the full word (`os.`, `subprocess.`), unless the bare name was imported. */
  qualifier?: RegExp;
}

const PY: Api[] = [
  { name: /^(?:system|popen)$/, kind: 'shell', qualifier: /^(?:(?:os|posix)\.|\.)$/ },
  { name: /^(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)$/, kind: 'shell', qualifier: /^(?:subprocess|sp|commands)\./ },
  { name: /^(?:create_subprocess_shell)$/, kind: 'shell' },
  // invoke and fabric tasks: `c.run("…")`, `ctx.sudo("…")`, `conn.local("…")`
  { name: /^(?:run|sudo|local)$/, kind: 'shell', qualifier: /^(?:c|ctx|context|conn|connection)\.$/ },
  { name: /^(?:create_subprocess_exec)$/, kind: 'spawn' },
  { name: /^(?:execv|execvp|execve|execvpe|execl|execlp|execle|execlpe|spawnv|spawnvp|spawnl|spawnlp)$/, kind: 'spawn', qualifier: /^os\./ },
  { name: /^spawn$/, kind: 'interactive', qualifier: /^pty\./ },
  { name: /^interact$/, kind: 'interactive', qualifier: /^code\./ },
  { name: /^(?:rmtree)$/, kind: 'rdelete' },
  { name: /^send2trash$/, kind: 'rdelete' },
  { name: /^(?:remove|unlink|rmdir|removedirs)$/, kind: 'delete', qualifier: /^(?:os|\.)/ },
  { name: /^(?:unlink|rmdir)$/, kind: 'delete', qualifier: /^\./ },
  { name: /^open$/, kind: 'open' },
  { name: /^(?:write_text|write_bytes|touch|mkdir|chmod|symlink_to|hardlink_to)$/, kind: 'write', qualifier: /^\./ },
  { name: /^(?:read_text|read_bytes)$/, kind: 'read', qualifier: /^\./ },
  { name: /^(?:copy|copy2|copyfile|copytree)$/, kind: 'copy', qualifier: /^shutil\./ },
  { name: /^(?:move)$/, kind: 'move', qualifier: /^shutil\./ },
  { name: /^(?:rename|replace)$/, kind: 'move', qualifier: /^os\./ },
  { name: /^(?:symlink|link|chmod|chown|lchown|mkdir|makedirs|utime)$/, kind: 'meta', qualifier: /^os\./ },
  { name: /^truncate$/, kind: 'write', qualifier: /^os\./ },
  { name: /^(?:exec|eval|compile)$/, kind: 'eval' },
  // binding a Unix socket creates a file at its path (a port or an address tuple is no path)
  { name: /^bind$/, kind: 'write', qualifier: /\.$/ },
  // nox's `session.run("rm", "-rf", …)`
  { name: /^run$/, kind: 'argv', qualifier: /^(?:session|s)\.$/ },
  { name: /^(?:posix_spawn|posix_spawnp)$/, kind: 'spawn', qualifier: /^os\.$/ },
];
const JS: Api[] = [
  // `server.listen(path)`: a Unix socket at that path (a port number is no path)
  { name: /^listen$/, kind: 'write', qualifier: /\.$/ },
  { name: /^(?:remove|removeSync)$/, kind: 'delete', qualifier: /^Deno\.$/ },
  { name: /^(?:Command|run)$/, kind: 'spawn', qualifier: /^Deno\.$/ },
  { name: /^(?:writeTextFile|writeTextFileSync)$/, kind: 'write' },
  { name: /^write$/, kind: 'write', qualifier: /^Bun\.$/ },
  { name: /^(?:readTextFile|readTextFileSync)$/, kind: 'read' },
  { name: /^(?:exec|execSync)$/, kind: 'shell' },
  { name: /^(?:spawn|spawnSync|execFile|execFileSync|fork)$/, kind: 'spawn' },
  { name: /^(?:rmSync|rm|rmdirSync|rmdir|remove|removeSync|emptyDir|emptyDirSync|rimraf|sync)$/, kind: 'rdelete', qualifier: /^(?:fs|fse|fsp|fsExtra|promises|rimraf|require|\.)|^rimraf$/ },
  { name: /^(?:unlinkSync|unlink)$/, kind: 'delete' },
  { name: /^(?:writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|truncateSync|truncate|outputFileSync|outputFile|writeJsonSync|writeJSONSync)$/, kind: 'write' },
  { name: /^(?:readFileSync|readFile|createReadStream|readJsonSync|readJSONSync)$/, kind: 'read' },
  { name: /^(?:copyFileSync|copyFile|cpSync|cp|copySync|copy)$/, kind: 'copy', qualifier: /^(?:fs|fse|fsp|fsExtra|promises|\.)/ },
  { name: /^(?:renameSync|rename|moveSync|move)$/, kind: 'move', qualifier: /^(?:fs|fse|fsp|fsExtra|promises|\.)/ },
  { name: /^(?:symlinkSync|symlink|linkSync|chmodSync|chmod|chownSync|chown|mkdirSync|mkdir|utimesSync)$/, kind: 'meta' },
  { name: /^(?:eval|Function)$/, kind: 'eval' },
];
const RUBY: Api[] = [
  { name: /^(?:system|exec|spawn|popen|popen2|popen3|popen2e|capture2|capture2e|capture3|pipeline)$/, kind: 'shell' },
  // Rake's (FileUtils') `sh "cmd"`
  { name: /^sh$/, kind: 'shell' },
  { name: /^(?:rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure|rmtree)$/, kind: 'rdelete' },
  { name: /^(?:rm|rm_f|remove|delete|unlink|rmdir|safe_unlink)$/, kind: 'delete', qualifier: /^(?:FileUtils|File|Dir|Pathname|\.)/ },
  { name: /^(?:write|binwrite)$/, kind: 'write', qualifier: /^(?:File|IO|\.)/ },
  { name: /^(?:read|readlines|binread|foreach)$/, kind: 'read', qualifier: /^(?:File|IO)/ },
  { name: /^open$/, kind: 'open', qualifier: /^(?:File|IO)\./ },
  { name: /^(?:cp|cp_r|copy|install|copy_file)$/, kind: 'copy', qualifier: /^FileUtils/ },
  { name: /^(?:mv|move|rename)$/, kind: 'move', qualifier: /^(?:FileUtils|File)/ },
  { name: /^(?:ln_s|ln|ln_sf|symlink|touch|mkdir_p|mkdir|chmod|chmod_R|chown|chown_R)$/, kind: 'meta', qualifier: /^(?:FileUtils|File|Dir)/ },
  { name: /^(?:eval|instance_eval|class_eval|module_eval)$/, kind: 'eval' },
  { name: /^(?:new|open)$/, kind: 'write', qualifier: /^UNIX(?:Server|Socket)\.$/ },
];
const PERL: Api[] = [
  { name: /^(?:system|exec)$/, kind: 'argv' },
  { name: /^(?:rmtree|remove_tree)$/, kind: 'rdelete' },
  { name: /^(?:unlink|rmdir)$/, kind: 'delete' },
  { name: /^open$/, kind: 'open' },
  { name: /^(?:copy|cp)$/, kind: 'copy' },
  { name: /^(?:move|mv|rename)$/, kind: 'move' },
  { name: /^(?:symlink|link|chmod|chown|utime|mkdir|make_path|mkpath)$/, kind: 'meta' },
  { name: /^eval$/, kind: 'eval' },
];
const PHP: Api[] = [
  { name: /^(?:system|exec|shell_exec|passthru|popen|proc_open|pcntl_exec)$/, kind: 'shell' },
  { name: /^(?:unlink|rmdir)$/, kind: 'delete' },
  { name: /^(?:file_put_contents)$/, kind: 'write' },
  { name: /^(?:file_get_contents|file|readfile|parse_ini_file)$/, kind: 'read' },
  { name: /^fopen$/, kind: 'open' },
  { name: /^copy$/, kind: 'copy' },
  { name: /^rename$/, kind: 'move' },
  { name: /^(?:symlink|link|chmod|chown|touch|mkdir)$/, kind: 'meta' },
  { name: /^(?:eval|assert|create_function)$/, kind: 'eval' },
];
const LUA: Api[] = [
  { name: /^(?:execute|popen)$/, kind: 'shell', qualifier: /^(?:os|io)\./ },
  { name: /^remove$/, kind: 'delete', qualifier: /^os\./ },
  { name: /^rename$/, kind: 'move', qualifier: /^os\./ },
  { name: /^open$/, kind: 'open', qualifier: /^io\./ },
  { name: /^lines$/, kind: 'read', qualifier: /^io\./ },
  { name: /^(?:load|loadstring|dofile)$/, kind: 'eval' },
];
// gawk's filefuncs extension: unlink(path)
const AWK: Api[] = [{ name: /^system$/, kind: 'shell' }, { name: /^unlink$/, kind: 'delete' }];

const APIS: Record<ScriptLang, Api[]> = { python: PY, node: JS, ruby: RUBY, perl: PERL, php: PHP, lua: LUA, awk: AWK, sh: [] };

const NETWORK: Record<ScriptLang, RegExp> = {
  // DNS lookups carry data too (a secret in the name a resolver is asked for)
  python: /\b(?:urllib|urlopen|requests\.|httpx|http\.client|socket\.|aiohttp|urllib3|ftplib|smtplib|paramiko|websocket|pycurl|dns\.resolver)/,
  node: /\b(?:fetch\s*\(|https?\.(?:request|get)|net\.(?:connect|createConnection|Socket)|axios|got\s*\(|undici|XMLHttpRequest|WebSocket|dgram|tls\.connect|dns\.(?:resolve\w*|lookup)|require\(\s*['"](?:node:)?dns(?:\/promises)?['"]\s*\)\s*\.\s*(?:resolve\w*|lookup|promises))/,
  ruby: /\b(?:Net::HTTP|open-uri|URI\.open|TCPSocket|UDPSocket|Socket\.|HTTParty|Faraday|RestClient|Excon|Net::FTP)/,
  perl: /\b(?:LWP|HTTP::Tiny|IO::Socket|Net::|getstore|getprint|Socket)/,
  php: /\b(?:curl_|fsockopen|stream_socket_client|socket_create|socket_connect)|(?:file_get_contents|fopen|readfile|copy)\s*\(\s*['"](?:https?|ftp):/,
  lua: /\b(?:socket|http\.request|ssl\.)/,
  awk: /\/inet\//,
  sh: /$^/,
};
const DECODE = /\b(?:b64decode|b32decode|a85decode|base64|decode64|decode_base64|base64_decode|MIME::Base64|codecs\.decode|zlib\.decompress|gzinflate|gzuncompress|bytes\.fromhex|unhexlify|hex2bin|fromhex|atob|fromCharCode|str_rot13|rot_?13|marshal\.loads|pickle\.loads|unpack\s*\(|\.pack\s*\(|Buffer\.from\s*\([^)]*['"](?:base64|hex)['"]|convert_uudecode)/;
const DOWNLOAD = /\b(?:urlopen|requests\.get|httpx\.get|fetch\s*\(|https?\.get|Net::HTTP|URI\.open|LWP::Simple|getstore|HTTP::Tiny|file_get_contents\s*\(\s*['"]https?:|curl_exec)/;
const OUTPUT = /\b(?:print|println|printf|puts|say|echo|console\.(?:log|error|info|warn|dir)|write|p|pp|print_r|var_dump|var_export|stdout|dump|json\.dumps|JSON\.stringify)\b/;
const ENV_DUMP: Record<ScriptLang, RegExp> = {
  python: /os\.environ(?!\s*(?:\[|\.get|\.setdefault|\.pop|\.update|\.copy\(\)\s*\[))|dict\(\s*os\.environ\s*\)/,
  node: /process\.env(?!\s*(?:\.|\[))/,
  ruby: /\bENV(?:\.to_h|\.to_a|\.each|\.inspect|\.keys|\.values|\b(?!\s*\[|\.fetch|\.key\?))/,
  perl: /%ENV\b/,
  php: /\$_ENV\b(?!\s*\[)|getenv\s*\(\s*\)|\$_SERVER\b(?!\s*\[)/,
  lua: /$^/,
  awk: /\bENVIRON\b(?!\s*\[)/,
  sh: /$^/,
};
const ENV_GET = /(?:os\.environ(?:\.get)?\s*[[(]\s*|os\.getenv\s*\(\s*|process\.env\.|process\.env\[\s*|ENV\[\s*|ENV\.fetch\s*\(\s*|\$ENV\{\s*|getenv\s*\(\s*|\$_ENV\[\s*|ENVIRON\[\s*)['"]?([A-Za-z_][A-Za-z0-9_]*)/g;
const FORK_BOMB = /(?:while\s*\(?\s*(?:True|true|1)\s*\)?\s*:?[^\n]{0,80}?(?:\b|_)(?:fork\b|spawn\s*\(|Popen\s*\(|Process\s*\([^\n]{0,60}\)\s*\.\s*start\b)|fork\s+while\s+fork|fork\s+while\s*\(?\s*1|loop\s*(?:do|\{)[^\n]{0,40}\bfork\b|for\s*\(\s*;\s*;\s*\)[^\n]{0,80}(?:\b|_)(?:fork\b|spawn\s*\(|Popen\s*\())/;
/** An endless loop whose body keeps growing something: appends, pushes, fresh large buffers. */
const MEMORY_BOMB = /(?:\bwhile\s*\(?\s*(?:True|true|1)\s*\)?\s*:?|\bfor\s*\(\s*;\s*;\s*\)|\bloop\s*(?:do\b|\{))[\s\S]{0,120}?(?:\.(?:append|push|extend|concat|insert)\s*\(|<<\s*|\bbytearray\s*\(|\bBuffer\.(?:alloc|allocUnsafe)\s*\(|\b[cm]alloc\s*\(|\bnew\s+(?:Array|ArrayBuffer|Uint8Array)\s*\(|\+=\s*\w+\s*\*\s*\d|\w+\s*\*=\s*\d)/;
/** SDK calls that read stored credentials by themselves: AWS, Google Cloud, Docker, OS keyrings, .netrc parsers. */
const SDK_CREDENTIALS = /\.get_credentials\s*\(|\.get_frozen_credentials\s*\(|credential-providers|\bfromIni\s*\(|\bfromNodeProviderChain\s*\(|defaultProvider\s*\(|google\.auth\.default\s*\(|\bkeytar\b|docker\.auth\b|\bNetrc\.read\b|\bnetrc\.netrc\s*\(|\.authenticators\s*\(/;
const SHELL_NAMES = /^(?:\/(?:usr\/)?bin\/)?(?:ba|z|da|k|fi)?sh$/;
/** A shell started without a script: it runs what it reads on stdin. */
const BARE_SHELL = /^\s*(?:\/(?:usr\/)?bin\/|\/usr\/bin\/env\s+)?(?:ba|z|da|k|fi)?sh(?:\s+-[si]+)?(?:\s+-)?\s*$/;
/** Keyword arguments and options that carry a spawned process's stdin. */
const STDIN_KEYS = /^(?:input|stdin_data|stdin)$/;

/** A string literal that is a destructive SQL statement (only these are judged as SQL: prose stays prose). */
const SQL_STATEMENT = /^\s*(?:drop\s+(?:database|schema|table|keyspace|owned)\b|truncate\s+table\s|truncate\s+[\w."`]+\s*(?:;|,|$|\s(?:cascade|restart|continue|only)\b)|delete\s+from\s)/i;

/**
 * Judge a piece of interpreter code. Nested shell commands are classified one level deeper.
 * @param label how the code is introduced in reasons (`python -c`, `./tool.py`)
 * @param opts.argv the arguments after the code (`perl -e 'system @ARGV' rm -rf ~`), followed where the code reads them
 */
export function scanCode(call: Call, lang: ScriptLang, source: string, label: string, opts: { argv?: readonly string[] } = {}): void {
  const run = call.exec.run;
  if (codeOutOfBudget(call, source, label)) return;
  const code = callbacksAsCalls(lang, source);
  const inner = { ...call, scope: nestedScope(call.scope) } as Call;
  const bindings = codeBindings(lang, lexCode(lang, code), code, opts.argv ?? null);
  const tokens = bindings.tokens;
  const apis = APIS[lang];
  const imported = importedNames(lang, code);
  let mutates = false;
  let network = NETWORK[lang].test(code);

  const shell = (text: string, how: string, stdin?: DataSource) => {
    if (text.replace(new RegExp(UNKNOWN, 'g'), '').trim() === '') {
      if (DECODE.test(code)) run.add('exec.decode-then-exec', `${label} runs a command decoded at run time (${how})`);
      else if (DOWNLOAD.test(code)) run.add('exec.download-then-exec', `${label} runs a command downloaded at run time (${how})`);
      else run.add('exec.dynamic-code', `${label} runs a command built at run time (${how})`);
      return;
    }
    call.exec.script(text, inner.scope, stdin ?? { kind: 'terminal' }, `${label} ${how}`);
  };
  /** A file the code writes: judged, and remembered with unknown content (a tool that runs it later, npm test after a script rewrote package.json, needs approval). */
  const writesFile = (ref: ReturnType<typeof pathRef>, verb: string) => {
    judgeWrite(run, ref, { verb });
    if (ref && ref.scope === 'exact' && !ref.path.includes(UNKNOWN)) run.writes.set(ref.path, { kind: 'unknown', from: PLAIN });
  };
  if (lang === 'python') {
    // IPython's shell escapes (`!cmd`, `%system cmd`, `%%bash` cells): not Python, so only IPython runs them
    for (const m of source.matchAll(/^[ \t]*(?:!{1,2}|%(?:system|sx)\s+)(.+)$/gm)) shell(m[1]!, 'IPython shell escape');
    for (const m of source.matchAll(/^[ \t]*%%(?:bash|sh|script\s+(?:ba)?sh)[^\n]*\n([\s\S]*)$/gm)) shell(m[1]!, 'IPython %%bash cell');
    // the system keyring hands out stored passwords and tokens
    if (/\bkeyring\.get_(?:password|credential)\s*\(|\bsecretstorage\b[\s\S]*\.get_secret\s*\(/.test(code)) run.add('secrets.credential-store', `${label} reads a password from the system keyring`);
  }
  // SDKs that load the user's stored credentials by themselves (no path in the code), printed or sent on
  if (SDK_CREDENTIALS.test(code) && (OUTPUT.test(code) || /\b(?:urlopen|requests\.|fetch\(|https?\.request|Net::HTTP)/.test(code)))
    run.add('secrets.credential-store', `${label} loads the user's stored credentials through an SDK and prints or sends them`);
  for (const d of bindings.dynamic) {
    if (DECODE.test(code)) run.add('exec.decode-then-exec', `${label} calls ${d} with a name decoded at run time`);
    else run.add('exec.dynamic-code', `${label} calls ${d}: which function runs is only known at run time`);
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'exec-string') {
      shell(t.value, 'backticks');
      continue;
    }
    if (t.kind !== 'word') continue;
    // zx-style $`cmd` templates
    if (lang === 'node' && /^(?:\$|Bun\.\$)$/.test(t.value) && tokens[i + 1]?.kind === 'string' && code[tokens[i + 1]!.start] === '`') {
      shell(tokens[i + 1]!.value, '$`…`');
      continue;
    }
    const segs = t.value.split(/\.|::|->/);
    const last = segs[segs.length - 1] ?? '';
    const qualifier = t.value.slice(0, t.value.length - last.length);
    const next = tokens[i + 1];
    const isCall = (next !== undefined && ((next.kind === 'punct' && next.value === '(') || ((lang === 'perl' || lang === 'ruby') && (next.kind === 'string' || next.kind === 'word' || (next.kind === 'punct' && next.value === '[')))))
      // Ruby calls a method without parentheses or arguments: `Pathname.new(dir).rmtree`
      || (lang === 'ruby' && qualifier === '.' && RUBY_RECEIVER_DELETE.test(last));
    if (!isCall) continue;
    for (const api of apis) {
      if (!api.name.test(last)) continue;
      if (api.qualifier && !api.qualifier.test(qualifier) && !imported.has(last)) continue;
      if (!api.qualifier && qualifier !== '' && api.kind === 'eval' && !/^(?:window|globalThis|builtins|Kernel)\.$/.test(qualifier)) continue;
      const region = argRegion(tokens, i);
      const args = splitArgs(region);
      const a0 = args[0] ?? [];
      switch (api.kind) {
        case 'shell': {
          const positional = lang === 'ruby' ? args.filter((a) => !isOptionArg(a)) : [];
          const v = positional.length > 1 ? { text: positional.map((a) => quote(exprValue(a).text)).join(' ') } : exprValue(a0);
          shell(v.text, `${t.value}(…)`, shellInput(tokens, i, args, v.text));
          break;
        }
        case 'argv': {
          const v = args.length > 1 ? { text: args.map((a) => quote(exprValue(a).text)).join(' ') } : exprValue(a0);
          shell(v.text, `${t.value}(…)`, shellInput(tokens, i, args, v.text));
          break;
        }
        case 'spawn': {
          // spawn(cmd, [args]) / execvp(file, [args]) / create_subprocess_exec(cmd, *args)
          // Deno.run({cmd: [...]}), new Deno.Command(cmd, {args: [...]})
          const cmdProp = isObject(a0) ? objectProp(a0, 'cmd') : null;
          const head = exprValue(cmdProp ?? a0);
          const argsProp = args.slice(1).filter(isObject).map((o) => objectProp(o, 'args')).find((x) => x !== null);
          const rest = argsProp ? [argsProp] : args.slice(1).filter((a) => !isObject(a));
          let text = head.text;
          if (cmdProp || (a0[0]?.kind === 'punct' && a0[0].value === '[')) text = head.text;
          else if (rest.length > 0) {
            const restVals = rest.map((a) => exprValue(a).text);
            // execvp('rm', ['rm', '-rf', '/']): argv[0] repeats the program; execl('/bin/sh', 'sh', '-c', 'cmd') lists each argument
            text = /^os\./.test(qualifier) && /^execl/.test(last) ? restVals.map(quote).join(' ')
              : /^os\./.test(qualifier) && /^exec|^spawn/.test(last) ? restVals.join(' ') : [quote(head.text), ...restVals].join(' ');
          }
          const stdin = shellInput(tokens, i, args, text);
          if (SHELL_NAMES.test(head.text) && rest.length === 0 && !stdin) run.add('exec.interactive', `${label} starts an interactive shell: input sent with write_stdin is not governed`);
          else shell(text, `${t.value}(…)`, stdin);
          break;
        }
        case 'interactive':
          run.add('exec.interactive', `${label} starts an interactive session (${t.value}): input sent with write_stdin is not governed`);
          break;
        case 'delete':
        case 'rdelete': {
          mutates = true;
          const target = wholeTree(lang === 'ruby' && qualifier === '.' && RUBY_RECEIVER_DELETE.test(last) ? receiverValue(tokens, i)
            : api.qualifier?.source === '^\\.' || /^\./.test(qualifier) && lang === 'python' ? receiverPath(tokens, i) : exprValue(a0).text);
          const recursive = api.kind === 'rdelete' || (lang === 'node' && /recursive\s*:\s*true/.test(code.slice(region[0]?.start ?? 0, region[region.length - 1]?.end ?? 0)));
          for (const p of lang === 'perl' && args.length > 1 ? args.map((a) => wholeTree(exprValue(a).text)) : [target]) {
            judgeDelete(run, pathRef(inner, p), { recursive, verb: `${label} ${t.value}` });
          }
          break;
        }
        case 'write': {
          mutates = true;
          const target = /^\./.test(qualifier) && (lang === 'python' || lang === 'ruby') && !/^(?:File|IO)/.test(qualifier) ? receiverPath(tokens, i) : exprValue(a0).text;
          writesFile(pathRef(inner, target), `${label} ${t.value}`);
          break;
        }
        case 'read': {
          const target = /^\./.test(qualifier) && lang === 'python' ? receiverPath(tokens, i) : exprValue(a0).text;
          if (/^(?:https?|ftp):/.test(target)) network = true;
          else judgeRead(run, pathRef(inner, target), { verb: `${label} ${t.value}` });
          break;
        }
        case 'open': {
          const { path, write } = openTarget(lang, args, tokens, i, qualifier);
          if (path === null) break;
          if (/^(?:https?|ftp):/.test(path)) { network = true; break; }
          if (lang === 'perl' && /\|\s*$|^\s*\|/.test(path)) { const cmd = path.replace(/^\s*\||\|\s*$/g, ''); shell(cmd, 'open(pipe)', BARE_SHELL.test(cmd) ? printedTo(tokens, args[0] ?? []) : undefined); break; }
          if (write) { mutates = true; writesFile(pathRef(inner, path), `${label} ${t.value}`); }
          else judgeRead(run, pathRef(inner, path), { verb: `${label} ${t.value}` });
          break;
        }
        case 'copy': {
          mutates = true;
          const src = exprValue(a0).text;
          const dst = exprValue(args[1] ?? []).text;
          judgeRead(run, pathRef(inner, src), { verb: `${label} ${t.value}` });
          judgeWrite(run, pathRef(inner, dst), { verb: `${label} ${t.value}` });
          break;
        }
        case 'move': {
          mutates = true;
          const src = exprValue(a0).text;
          const dst = exprValue(args[1] ?? []).text;
          judgeDelete(run, pathRef(inner, src), { recursive: false, verb: `${label} ${t.value}` });
          judgeWrite(run, pathRef(inner, dst), { verb: `${label} ${t.value}` });
          break;
        }
        case 'meta': {
          mutates = true;
          for (const a of args.slice(0, 2)) judgeMeta(run, pathRef(inner, exprValue(a).text), { verb: `${label} ${t.value}` });
          break;
        }
        case 'eval': {
          const v = exprValue(a0);
          if (v.literal && v.text !== '') scanCode(inner, lang, v.text, `${label} ${t.value}`);
          else if (DECODE.test(code)) run.add('exec.decode-then-exec', `${label} evaluates code decoded at run time`);
          else if (DOWNLOAD.test(code)) run.add('exec.download-then-exec', `${label} evaluates code downloaded at run time`);
          else run.add('exec.dynamic-code', `${label} evaluates code computed at run time (${t.value})`);
          break;
        }
      }
      break;
    }
  }

  // A credentials file handed to any call (`configparser.read('~/.aws/credentials')`,
  // `require(homedir() + '/.docker/config.json')`, `Bun.file(…/.ssh/id_rsa)`): whatever the API, it is read
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || !(tokens[i + 1]?.kind === 'punct' && tokens[i + 1]!.value === '(')) continue;
    const target = exprValue(splitArgs(argRegion(tokens, i))[0] ?? []).text;
    if (!/^[~/]/.test(target) || target.includes(UNKNOWN)) continue;
    const ref = pathRef(inner, target);
    if (ref && [ref.path, ref.real].some((p) => secretKind(p, run.zones) === 'credentials')) judgeRead(run, ref, { verb: `${label} ${t.value}` });
  }
  // python's netrc module reads ~/.netrc by default
  if (lang === 'python' && /\bnetrc\.netrc\(\s*\)/.test(code)) judgeRead(run, pathRef(inner, '~/.netrc'), { verb: `${label} netrc.netrc()` });

  // awk: print > "file", "cmd" | getline, print | "cmd"
  if (lang === 'awk') {
    for (const m of code.matchAll(/(?:print|printf)\b([^>|;}]*?)(>>?|\|)\s*"([^"]*)"/g)) {
      if (m[2] === '|') shell(m[3]!, 'print | "…"', BARE_SHELL.test(m[3]!) ? textInput(exprValue(lexCode('awk', m[1]!)).text) : undefined);
      else { mutates = true; judgeWrite(run, pathRef(inner, m[3]!), { verb: `${label} print >` }); }
    }
    for (const m of code.matchAll(/"([^"]*)"\s*\|\s*getline/g)) shell(m[1]!, '"…" | getline');
    for (const m of code.matchAll(/getline\s*(?:\w+\s*)?<\s*"([^"]*)"/g)) judgeRead(run, pathRef(inner, m[1]!), { verb: `${label} getline <` });
    // the same through variables holding a literal (`cmd = "…"; cmd | getline`, `-v f=~/.netrc`)
    const vars = awkStringVariables(code);
    for (const m of code.matchAll(/(?<![\w"])([A-Za-z_]\w*)\s*\|\s*getline/g)) { const v = vars.get(m[1]!); if (v !== undefined) shell(v, `${m[1]} | getline`); }
    for (const m of code.matchAll(/getline\s*(?:[A-Za-z_]\w*\s*)?<\s*([A-Za-z_]\w*)/g)) { const v = vars.get(m[1]!); if (v !== undefined) judgeRead(run, pathRef(inner, v), { verb: `${label} getline <` }); }
    for (const m of code.matchAll(/(?:print|printf)\b(?:"(?:[^"\\]|\\.)*"|[^>|;}"])*?(>>?|\|)\s*([A-Za-z_]\w*)/g)) {
      const v = vars.get(m[2]!);
      if (v === undefined) continue;
      if (m[1] === '|') shell(v, `print | ${m[2]}`);
      else { mutates = true; judgeWrite(run, pathRef(inner, v), { verb: `${label} print >` }); }
    }
  }

  // Network use: hosts from URL literals; approval endpoints anywhere in the code.
  const urls = tokens.filter((t) => t.kind === 'string' && /^(?:https?|wss?|ftp):\/\//i.test(t.value)).map((t) => t.value);
  for (const u of urls) if (isApprovalUrl(u)) run.add('self.approval-endpoint', `${label} calls the VAIBOT approval endpoint ${u}`);
  // SQL run through a database driver (`cursor.execute('DROP DATABASE prod')`)
  for (const t of tokens) {
    if (t.kind === 'string' && SQL_STATEMENT.test(t.value)) judgeSql(inner, t.value, `${label} SQL`);
  }
  // a URL assembled at run time from pieces (`base + '/v2/receipts/' + h + '/approve'`)
  if (!urls.some(isApprovalUrl) && joinsToApprovalUrl(tokens.filter((t) => t.kind === 'string').map((t) => t.value)))
    run.add('self.approval-endpoint', `${label} builds the URL of a VAIBOT approval endpoint`);
  const hosts = urls.map(urlHost).filter((h): h is string => h !== null);
  for (const h of hosts) {
    if (isCloudMetadataHost(h)) run.add('secrets.read-credentials', `${label} asks the cloud metadata service ${h}, which hands out the machine's credentials`);
  }
  if (network) {
    // addresses written bare (`socket.create_connection(("127.0.0.1", 5432))`) count as hosts too
    const bare = tokens.filter((t) => t.kind === 'string' && /^(?:localhost|(?:\d{1,3}\.){3}\d{1,3}|::1)$/.test(t.value)).map((t) => t.value);
    const all = [...hosts, ...bare];
    const remote = all.filter((h) => !isLoopbackHost(h));
    if (all.length === 0 || remote.length > 0)
      run.add('net.outbound', `${label} opens a network connection${remote.length ? ` to ${remote.join(', ')}` : ''}`);
  }

  // Environment: dumps and secret variables that are printed.
  if (ENV_DUMP[lang].test(code)) run.add('secrets.dump-env', `${label} reads the whole environment, secrets included`);
  if (OUTPUT.test(code) || network) {
    for (const m of code.matchAll(ENV_GET)) {
      if (isSecretVarName(m[1]!)) run.add('secrets.print-env-var', `${label} reads the secret variable ${m[1]} and prints or sends it`);
    }
  }

  if (FORK_BOMB.test(code)) run.add('proc.fork-bomb', `${label} forks processes in an endless loop`);
  const growth = MEMORY_BOMB.exec(code);
  // (a loop that waits for something between rounds, a server's accept or a queue's get, is no bomb)
  if (growth && !/\b(?:break|return|exit|sleep|await|yield)\b|sys\.exit|process\.exit|\b(?:accept|recv\w*|read\w*|input|gets|wait\w*|get|poll|select|listen|serve\w*|join|next|pop|shift|take|send\w*|fetch|request|urlopen)\s*\(/.test(code.slice(growth.index, growth.index + 300)))
    run.add('proc.resource-exhaustion', `${label} allocates memory in an endless loop with no way out: the machine runs out of memory`);
  if (network && /\bdup2\b|pty\.spawn|\/bin\/(?:ba|z|da)?sh\b|\bspawn\s*\(\s*['"](?:ba|z)?sh['"]|\bexec\s*\(\s*['"](?:\/bin\/)?(?:ba)?sh\b/.test(code))
    run.add('net.reverse-shell', `${label} connects a shell to the network`);

  // Paths named in string literals: protected ones with any mutation, secret ones always.
  for (const t of tokens) {
    if (t.kind !== 'string' || t.value.length > 4096) continue;
    const v = t.value;
    if (!/^[~/]/.test(v) || /\s/.test(v.trim()) && !v.startsWith('/')) continue;
    const ref = pathRef(inner, v);
    if (!ref) continue;
    if (mutates && protectedKind(ref.path, run.zones) !== null) judgeMeta(run, ref, { verb: `${label} (mentions ${v})` });
    if (/\.ssh\/|\.aws\/|\.netrc|\.git-credentials|credentials|\.env\b|\.gnupg|auth\.json|\/keys\//.test(v) && hasReadApi(lang, code))
      judgeRead(run, ref, { verb: `${label} (mentions ${v})` });
  }
  // Path pieces joined at run time: os.path.join(home, '.vaibot', ...).
  if (mutates && tokens.some((t) => t.kind === 'string' && /^\.?(?:vaibot|codex)$|^\.(?:vaibot|codex)\//.test(t.value)))
    run.add('self.write-protected', `${label} modifies files and refers to the VAIBOT or Codex directory`);
}

function hasReadApi(lang: ScriptLang, code: string): boolean {
  switch (lang) {
    case 'python': return /\bopen\s*\(|read_text|read_bytes|shutil\.copy|send|upload/.test(code);
    case 'node': return /readFile|createReadStream|copyFile|cpSync/.test(code);
    case 'ruby': return /File\.(?:read|open|readlines|binread)|IO\.read/.test(code);
    case 'perl': return /\bopen\b|slurp|read_file/.test(code);
    case 'php': return /file_get_contents|fopen|readfile|file\s*\(/.test(code);
    default: return /open|read/.test(code);
  }
}

function importedNames(lang: ScriptLang, code: string): Set<string> {
  const out = new Set<string>();
  if (lang === 'python') {
    for (const m of code.matchAll(/from\s+(?:os|subprocess|shutil|pty)\s+import\s+([\w\s,*]+)/g)) for (const n of m[1]!.split(/[\s,]+/)) if (n) out.add(n);
  }
  if (lang === 'node') {
    for (const m of code.matchAll(/\{([\w\s,:]+)\}\s*=\s*require\s*\(\s*['"](?:node:)?(?:child_process|fs|fs\/promises|fs-extra)['"]/g))
      for (const n of m[1]!.split(/[\s,:]+/)) if (n) out.add(n);
    for (const m of code.matchAll(/import\s*\{([\w\s,]+)\}\s*from\s*['"](?:node:)?(?:child_process|fs|fs\/promises|fs-extra)['"]/g))
      for (const n of m[1]!.split(/[\s,]+/)) if (n) out.add(n);
  }
  if (lang === 'ruby') for (const n of ['rm_rf', 'rm_r', 'mv', 'cp', 'rm']) if (/include\s+FileUtils/.test(code)) out.add(n);
  return out;
}

/**
 * A delete function passed as a callback over a list (`array_map("unlink", glob(…))` in PHP,
 * `list(map(os.remove, glob(…)))` in Python), or given a list the way Perl allows, spelled as a call
 * on the list, which the scanner judges.
 */
function callbacksAsCalls(lang: ScriptLang, code: string): string {
  if (lang === 'php') return code.replace(/\barray_map\s*\(\s*(['"])(unlink|rmdir)\1\s*,/g, '$2(');
  if (lang === 'python') return code.replace(/\bmap\s*\(\s*((?:os\.)?(?:remove|unlink|rmdir)|shutil\.rmtree|rmtree)\s*,/g, '$1(');
  // Perl's list operators take their list without parentheses (`unlink glob "~/.ssh/*"`), and
  // `<…>` after a delete is a glob (`unlink <$ENV{HOME}/.ssh/*>`)
  if (lang === 'perl') {
    return code
      .replace(/\b(unlink|rmtree|remove_tree|rmdir)(\s*\(?\s*)<([^<>\s]+)>/g, '$1$2glob("$3")')
      .replace(/\bglob\s+("(?:[^"\\]|\\.)*"|'[^']*')/g, 'glob($1)');
  }
  return code;
}

/** Ruby methods that delete their receiver (Pathname, File): `Pathname.new(dir).rmtree`. */
const RUBY_RECEIVER_DELETE = /^(?:rmtree|delete|unlink|rmdir)$/;

/**
 * The value a receiver was built from: the first argument of `Pathname.new(EXPR)` / `Pathname(EXPR)`
 * right before the method; else the nearest string literal ({@link receiverPath}).
 */
function receiverValue(tokens: CodeToken[], at: number): string {
  const close = tokens[at - 1];
  if (close?.kind === 'punct' && close.value === ')') {
    let depth = 0;
    for (let j = at - 1; j >= 0; j--) {
      const t = tokens[j]!;
      if (t.kind !== 'punct') continue;
      if (t.value === ')') depth++;
      else if (t.value === '(' && --depth === 0) return exprValue(splitArgs(tokens.slice(j + 1, at - 1))[0] ?? []).text;
    }
  }
  return receiverPath(tokens, at);
}

/** The path of the receiver in `Path('x').unlink()` / `Pathname.new('x').delete`. */
function receiverPath(tokens: CodeToken[], at: number): string {
  // walk back over `( ... )` to the nearest string literal
  for (let j = at - 1; j >= 0 && j >= at - 6; j--) {
    const t = tokens[j]!;
    if (t.kind === 'string') return t.value;
  }
  return UNKNOWN;
}

function openTarget(lang: ScriptLang, args: CodeToken[][], tokens: CodeToken[], at: number, qualifier: string): { path: string | null; write: boolean } {
  const vals = args.map((a) => exprValue(a).text);
  if (lang === 'python' && /^\./.test(qualifier) && qualifier !== 'io.' && qualifier !== 'os.') {
    // Path('x').open('w')
    return { path: receiverPath(tokens, at), write: /[wax+]/.test(vals[0] ?? '') };
  }
  if (lang === 'perl') {
    // open(FH, '>', 'file') / open(FH, '>file') / open(my $fh, '<', $x)
    if (vals.length >= 3) return { path: vals[2]!, write: /[>+]/.test(vals[1] ?? '') || vals[1] === '|-' };
    const spec = vals[1] ?? '';
    const m = /^\s*(\+?[<>]{0,2}|\|)?\s*(.*?)\s*(\|)?$/.exec(spec)!;
    if (m[1] === '|' || m[3] === '|') return { path: '|' + m[2], write: false };
    return { path: m[2] ?? null, write: /[>+]/.test(m[1] ?? '') };
  }
  const mode = vals[1] ?? '';
  const write = lang === 'lua' || lang === 'php' || lang === 'ruby' || lang === 'python' ? /[wax+c]/.test(mode) : false;
  return { path: vals[0] ?? null, write };
}

function pathRef(call: Call, text: string) {
  if (text === '' || text === UNKNOWN) return null;
  let t = text;
  if (t === '~' || t.startsWith('~/')) t = call.exec.run.zones.home + t.slice(1);
  if (!t.startsWith('/') && !t.startsWith('.') && !t.includes('/') && !/^[\w.-]+$/.test(t)) return null;
  if (/^[a-z]+:\/\//i.test(t)) return null;
  return pathOf(call, t, { glob: /[*?[]/.test(t) });
}

function quote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./\-~\uE000]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}

/** A ruby/python option argument (`{…}` hash, `key: v`, `key=v`, `**opts`) rather than a positional one. */
function isOptionArg(a: CodeToken[]): boolean {
  const f = a[0];
  if (!f) return true;
  if (f.kind === 'punct') return f.value === '{' || (f.value === '*' && a[1]?.kind === 'punct' && a[1].value === '*');
  return f.kind === 'word' && (/^\w+:$/.test(f.value) || (a[1]?.kind === 'punct' && a[1].value === '=' ));
}

/** Is an argument an object/hash literal? */
function isObject(a: CodeToken[]): boolean {
  return a[0]?.kind === 'punct' && a[0].value === '{';
}

/** The value tokens of `key: value` in an object literal argument, or null. */
function objectProp(obj: CodeToken[], key: string): CodeToken[] | null {
  const close = matchClose(obj, 0);
  for (const entry of splitArgs(obj.slice(1, close))) {
    const f = entry[0];
    if (!f) continue;
    const name = f.kind === 'string' ? f.value : f.value.replace(/:$/, '');
    let k = 1;
    if (f.kind === 'word' && !f.value.endsWith(':')) {
      if (entry[1]?.kind !== 'word' || entry[1].value !== ':') continue;
      k = 2;
    } else if (f.kind === 'string') {
      if (entry[1]?.kind !== 'word' || entry[1].value !== ':') continue;
      k = 2;
    }
    if (name === key) return entry.slice(k);
  }
  return null;
}

/** Wrap statically known text as a process's stdin (unknown text stays uninspectable). */
function textInput(text: string): DataSource {
  return text.split(UNKNOWN).join('').trim() === '' ? { kind: 'unknown', from: PLAIN } : { kind: 'text', text, from: PLAIN };
}

/**
 * What a spawned shell reads on stdin when the code feeds it: `input=`/`input:`/`stdin_data:`
 * arguments, or what is later written to it (`.communicate(…)`, `.write(…)`, `.puts(…)`, `.end(…)`).
 * Undefined when the command is not a bare shell or nothing is fed.
 */
function shellInput(tokens: CodeToken[], at: number, args: CodeToken[][], command: string): DataSource | undefined {
  if (!BARE_SHELL.test(command)) return undefined;
  for (const a of args) {
    const f = a[0];
    if (f?.kind === 'word' && STDIN_KEYS.test(f.value.replace(/:$/, '')) && (f.value.endsWith(':') || (a[1]?.kind === 'punct' && a[1].value === '='))) return textInput(exprValue(a.slice(f.value.endsWith(':') ? 1 : 2)).text);
    if (isObject(a)) {
      const v = objectProp(a, 'input');
      if (v) return textInput(exprValue(v).text);
    }
  }
  const fed: string[] = [];
  for (let j = at + 1; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'word' || !/\.(?:communicate|write|puts|print|end|send|sendall|writelines)$/.test(t.value) || tokens[j + 1]?.value !== '(') continue;
    fed.push(exprValue(splitArgs(argRegion(tokens, j))[0] ?? []).text);
  }
  return fed.length > 0 ? textInput(fed.join('\n')) : undefined;
}

/** What Perl code prints to a filehandle (`print P "…"`, `print {$fh} "…"`, `printf $fh …`), as stdin. */
function printedTo(tokens: CodeToken[], handleArg: CodeToken[]): DataSource | undefined {
  const handle = [...handleArg].reverse().find((x) => x.kind === 'word')?.value;
  if (!handle) return undefined;
  const out: string[] = [];
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'word' || !/^(?:print|printf|say)$/.test(t.value)) continue;
    let k = j + 1;
    if (tokens[k]?.value === '(') k++;
    if (tokens[k]?.value === '{') k++;
    if (tokens[k]?.value !== handle) continue;
    k++;
    if (tokens[k]?.value === '}') k++;
    const region = argRegion(tokens, k - 1);
    out.push(exprValue(splitArgs(region).flatMap((a, n) => (n > 0 ? [{ kind: 'punct', value: '+', start: 0, end: 0 } as CodeToken, ...a] : a))).text);
  }
  return out.length > 0 ? textInput(out.join('\n')) : undefined;
}

/** A recursive glob over a whole tree (`dir/**`, `dir/**` + `/*`) deletes the tree's contents: `dir/*`. */
function wholeTree(target: string): string {
  return target.replace(/\/\*\*(?:\/\*)?$/, '/*');
}

/** awk variables given one string literal (`cmd = "…"`, and the `BEGIN { f = "…" }` a `-v f=…` is spelled as); a variable assigned twice is left out. */
function awkStringVariables(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const twice = new Set<string>();
  for (const m of code.matchAll(/(?<![\w$.])([A-Za-z_]\w*)\s*=(?!=)\s*("(?:[^"\\]|\\.)*")?/g)) {
    const name = m[1]!;
    if (out.has(name) || twice.has(name) || m[2] === undefined) { out.delete(name); twice.add(name); continue; }
    out.set(name, m[2].slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)));
  }
  return out;
}
