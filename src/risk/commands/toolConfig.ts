/**
 * Tools' own configuration commands that change what later invocations run or where they fetch
 * from: `npm|pnpm|yarn config set`, `gem sources --add`, `go env -w`, `aws configure set
 * credential_process`, `kubectl config set-credentials --exec-command`. A setting is judged as the
 * text it writes into the tool's file (so `npm config set script-shell X` is judged like a line an
 * agent adds to ~/.npmrc), or as the command it makes the tool run.
 */
import { posix } from 'node:path';
import type { Call } from '../call.js';
import { runCode } from './scripts.js';
import { inWorkspace } from '../pathZones.js';
import { display, pathOf } from './support.js';

/** `npm config set K V` / `K=V` pairs (any number), from the operands after `set`. */
function settingPairs(ops: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < ops.length; i++) {
    const t = ops[i]!;
    const eq = t.indexOf('=');
    if (eq > 0) out.push([t.slice(0, eq), t.slice(eq + 1)]);
    else if (ops[i + 1] !== undefined) out.push([t, ops[++i]!]);
  }
  return out;
}

/**
 * `npm config set …` (pnpm's and yarn 1's too): each setting is judged as a line of the npmrc it
 * lands in (the project's with `--location project`, else the user's); yarn 2+ writes .yarnrc.yml.
 * Values may look like options (`node-options '--require x'`), so the words after `set` are read
 * here, without the command's own options.
 */
export function judgeNpmConfigSet(call: Call): void {
  const run = call.exec.run;
  const a = call.args;
  const ops: string[] = [];
  for (let i = a.indexOf('set') + 1; i > 0 && i < a.length; i++) {
    const t = a[i]!;
    if (t === '--location' || t === '-L' || t === '--userconfig') i++;
    else if (!/^(?:--location=|--userconfig=|-g$|--global$|--json$)/.test(t)) ops.push(t);
  }
  const project = a.some((x, i) => (x === '--location' || x === '-L') ? a[i + 1] === 'project' : x === '--location=project');
  const dir = project ? call.scope.cwd ?? run.zones.home : run.zones.home;
  const berry = call.program === 'yarn' && !a.includes('--global') && ops.some((k) => /^(?:npmRegistryServer|yarnPath|plugins|npmScopes|enableStrictSsl|caFilePath)$/.test(k.split('=')[0]!));
  for (const [k, v] of settingPairs(ops)) {
    if (berry) call.exec.written(posix.join(call.scope.cwd ?? run.zones.home, '.yarnrc.yml'), `${k}: ${v}\n`, `${call.program} config set`, call.scope);
    else call.exec.written(posix.join(dir, '.npmrc'), `${k}=${v}\n`, `${call.program} config set`, call.scope);
  }
}

/** `gem sources --add URL` / `-a URL`: gems installed from another source from now on. */
export function judgeGemSources(call: Call): void {
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const url = a[i] === '--add' || a[i] === '-a' ? a[i + 1] : a[i]!.startsWith('--add=') ? a[i]!.slice(6) : undefined;
    if (url && !/^https:\/\/rubygems\.org\/?$/.test(url)) call.exec.run.add('persist.package-index', `gem sources --add ${display(url)} installs gems from another source from now on`);
  }
}

/** `go env -w K=V…`: GOFLAGS that run a program around the toolchain; proxies and checksum checks for every later download. */
export function judgeGoEnvWrite(call: Call): void {
  const a = call.args;
  if (a[0] !== 'env' || !a.includes('-w')) return;
  const run = call.exec.run;
  for (const kv of a.slice(1).filter((x) => x.includes('=') && !x.startsWith('-'))) {
    const [k, ...rest] = kv.split('=');
    const v = rest.join('=');
    if (k === 'GOFLAGS') {
      for (const m of v.matchAll(/(?:^|\s)-(?:toolexec|exec)=(\S+)/g)) {
        run.add('persist.tool-command', `go env -w GOFLAGS makes every later go build run ${display(m[1]!)}`);
        runCode(call, 'sh', m[1]!, 'go env -w GOFLAGS=-toolexec');
      }
      if (/(?:^|\s)-insecure\b/.test(v)) run.add('persist.package-index', 'go env -w GOFLAGS=-insecure fetches modules without checking certificates');
    } else if (k === 'GOPROXY' && !v.split(/[,|]/).every((p) => /^(?:https:\/\/proxy\.golang\.org|direct|off)$/.test(p))) run.add('persist.package-index', `go env -w GOPROXY=${display(v)} fetches modules from another proxy from now on`);
    else if ((k === 'GOSUMDB' && v === 'off') || ((k === 'GONOSUMDB' || k === 'GONOSUMCHECK' || k === 'GOINSECURE') && /(?:^|,)\*(?:,|$)/.test(v)) || (k === 'GOINSECURE' && v !== ''))
      run.add('persist.package-index', `go env -w ${k}=${display(v)} stops checking the modules it downloads`);
  }
}

/** `aws configure set credential_process CMD`: the CLI runs CMD whenever it needs credentials. */
export function judgeAwsConfigureSet(call: Call, ops: readonly string[]): void {
  const [key, value] = ops;
  if (!key || value === undefined || !/(?:^|\.)credential_process$/.test(key)) return;
  call.exec.run.add('persist.tool-command', `aws configure set ${key} makes the AWS CLI run ${display(value)} whenever it needs credentials`);
  runCode(call, 'sh', value, `aws configure set ${key}`);
}

/** `kubectl config set-credentials NAME --exec-command=CMD`: kubectl runs CMD for every request with those credentials. */
export function judgeKubectlExecCredential(call: Call): void {
  const a = call.args;
  if (!a.includes('set-credentials')) return;
  const i = a.findIndex((x) => x === '--exec-command' || x.startsWith('--exec-command='));
  if (i < 0) return;
  const cmd = a[i]!.includes('=') ? a[i]!.slice(a[i]!.indexOf('=') + 1) : a[i + 1] ?? '';
  call.exec.run.add('persist.tool-command', `kubectl config set-credentials makes kubectl run ${display(cmd)} for every request with those credentials`);
  runCode(call, 'sh', cmd, 'kubectl credential plugin');
}

/**
 * `direnv allow|permit|grant [DIR|DIR/.envrc]`: direnv then runs that `.envrc` in every shell that
 * enters the directory, without asking. Trusting one outside the workspace (home, another project)
 * plants a startup script there; inside the workspace the `.envrc` is judged when it is written.
 */
export function judgeDirenvAllow(call: Call): void {
  const [verb, target] = call.args.filter((a) => !a.startsWith('-'));
  if (!/^(?:allow|permit|grant)$/.test(verb ?? '')) return;
  const ref = pathOf(call, target ?? '.');
  if (!ref) return;
  const dir = /(?:^|\/)\.envrc$/.test(ref.path) ? posix.dirname(ref.path) : ref.path;
  const envrc = target !== undefined && /(?:^|\/)\.envrc$/.test(target) ? target : `${target ?? '.'}/.envrc`;
  if (!inWorkspace(dir, call.exec.run.zones) && !inWorkspace(ref.real, call.exec.run.zones))
    call.exec.run.add('persist.autostart', `direnv ${verb} trusts ${display(envrc)} outside the workspace, which then runs in every shell that enters it`);
}
