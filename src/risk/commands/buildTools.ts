/**
 * Build and publishing tools: make (and the makefiles an agent wrote), npm/pnpm/yarn (scripts,
 * exec, registry settings), cargo, Maven, Gradle, and the package publishers.
 */
import type { Call, Handler } from '../call.js';
import type { ShellWord } from '../shellValue.js';
import { makefileRecipes } from '../makefileRecipes.js';
import { judgeGitConfigFiles, judgeMakeText, judgeMakefile, judgePackageBin, judgePackageScripts, judgeRunnerFiles, setPackageScript } from '../workspaceRunners.js';
import { judgeEnvValue } from './commandEnv.js';
import { GIT_HANDLERS } from './git.js';
import { runCode, runSource } from './scripts.js';
import { UNKNOWN_OUTPUT, positionals, runInner } from './support.js';
import { judgeGemSources, judgeNpmConfigSet } from './toolConfig.js';

/** The public npm registry (setting it back is not a change of index). */
const OFFICIAL_REGISTRY = /^https?:\/\/registry\.(?:npmjs\.org|yarnpkg\.com)\/?$/;

/** `make [-f FILE] [-C DIR] [GOAL…]`: a makefile the agent wrote or changed is judged by the recipes that run. */
const make: Handler = (call) => {
  const a = call.argWords;
  let file: ShellWord | undefined;
  let dir = '.';
  const goals: string[] = [];
  // `make VAR=value`: command-line variables override the makefile's
  const vars: string[] = [];
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!.text;
    if (t === '-f' || t === '--file' || t === '--makefile') file = a[++i];
    else if (/^-f./.test(t)) file = { ...a[i]!, text: t.slice(2) };
    else if (/^--(?:file|makefile)=/.test(t)) file = { ...a[i]!, text: t.slice(t.indexOf('=') + 1) };
    else if (t === '-C' || t === '--directory') dir = a[++i]?.text ?? '.';
    else if (/^-C./.test(t)) dir = t.slice(2);
    else if (t === '-E' || t === '--eval') runMakefile(call, a[++i]?.text ?? '', 'make --eval');
    else if (t.startsWith('--eval=')) runMakefile(call, t.slice(7), 'make --eval');
    else if (/^-[IoW]$/.test(t) || t === '--include-dir' || t === '--old-file' || t === '--what-if' || (/^-[jl]$/.test(t) && /^\d+(?:\.\d+)?$/.test(a[i + 1]?.text ?? ''))) i++;
    else if (!t.startsWith('-') && !/^[\w.-]+=/.test(t)) goals.push(t);
    else if (/^[A-Za-z_][\w.-]*=/.test(t)) vars.push(t);
  }
  // variables whose value make runs as a command (the shell every recipe line goes to, compilers, tools)
  for (const v of vars) {
    const m = /^(SHELL|CC|CXX|CPP|LD|AR|AS|FC|RM|INSTALL|MAKE|PYTHON|NODE|GO|CARGO)=(.*)$/s.exec(v);
    if (m && m[2]!.trim() !== '') runCode(call, 'sh', m[1] === 'SHELL' ? `${m[2]} true` : m[2]!, `make ${m[1]}=…`);
  }
  // a makefile read from stdin or a process substitution is judged by its content
  if (file?.procSub || file?.text === '-' || file?.text === '/dev/stdin') {
    const src = file.procSub ?? call.stdin;
    if (src.kind === 'text') runMakefile(call, src.text, 'make -f -');
    else if (src.kind === 'unknown' || src.kind === 'file') runSource(call, 'sh', src, 'make -f (a makefile that cannot be inspected)');
    return UNKNOWN_OUTPUT;
  }
  judgeMakefile(call, file ? { dir, file: file.text, goals, vars } : { dir, goals, vars });
  return UNKNOWN_OUTPUT;
};

/** The shell commands a whole makefile text runs (every recipe, `$(shell …)`, `VAR != cmd`). */
export function makefileCommands(text: string): string[] {
  return makefileRecipes(text, ['\u0000any']);
}

/** Judge the commands of a makefile's text. */
function runMakefile(call: Call, text: string, label: string): void {
  judgeMakeText(call, makefileCommands(text), label);
}

/** `npm`/`pnpm`/`yarn`: publish, scripts from a package.json the agent wrote, exec/dlx. */
const npm: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  const ops = positionals(a, /^-(?:w|-workspace|-prefix|C|-dir|-cwd|-filter|F|-registry|-tag|-otp)$/);
  let sub = ops[0] ?? '';
  if (call.program === 'yarn' && sub === 'npm') sub = 'npm ' + (ops[1] ?? '');
  const dryRun = a.some((x) => x === '--dry-run' || x === '-n' && sub === 'publish');
  if (/^(?:publish|unpublish|npm publish|deprecate|dist-tag)$/.test(sub) && !dryRun) run.add('publish.package', `${call.program} ${sub} publishes to the registry`);
  // removing the guard's own package (the plugin, its CLI) is for a human to do
  const [verb = '', ...pkgs] = sub === 'global' ? ops.slice(1) : ops; // `yarn global remove X`
  if (/^(?:uninstall|remove|rm|r|un|unlink|rb)$/.test(verb) && pkgs.some((x) => /^(?:@[\w.-]+\/)?vaibot(?:-[\w.-]+)?(?:@.*)?$|^@vaibot\//i.test(x)))
    run.add('self.guard-admin', `${call.program} ${ops.join(' ')} removes VAIBOT`);
  if (sub === 'token' || (sub === 'config' && ops[1] === 'get' && /_authToken|_auth|password/i.test(ops[2] ?? ''))) run.add('secrets.credential-store', `${call.program} ${ops.join(' ')} prints a registry token`);
  if (sub === 'exec' || sub === 'dlx' || sub === 'x') {
    const idx = call.argWords.findIndex((w) => w.text === sub);
    const rest = call.argWords.slice(idx + 1);
    // `npm exec [opts] -- pkg args` or `npm exec pkg [--] args`: the package is the first operand
    let first = 0;
    while (first < rest.length && rest[first]!.text !== '--' && rest[first]!.text.startsWith('-')) first += /^(?:-p|--package)$/.test(rest[first]!.text) ? 2 : 1;
    const inner = rest[first]?.text === '--' ? rest.slice(first + 1) : rest.slice(first).filter((w, i) => !(i > 0 && w.text === '--' && rest.slice(first, first + i).every((x) => x.text !== '--')));
    const cIdx = rest.findIndex((w) => w.text === '-c' || w.text === '--call');
    if (cIdx >= 0 && rest[cIdx + 1]) return runSource(call, 'sh', { kind: 'text', text: rest[cIdx + 1]!.text, from: rest[cIdx + 1]!.from }, `${call.program} exec -c`);
    if (inner[0]) judgePackageBin(call, inner[0].text.replace(/(.)@[^/]*$/, '$1'));
    return inner.length ? runInner(call, inner, { via: `${call.program} ${sub}` }) : UNKNOWN_OUTPUT;
  }
  // scripts: npm run X / npm test / npm start / yarn X / pnpm X
  const lifecycle = ['test', 't', 'tst', 'start', 'stop', 'restart', 'install', 'i', 'ci', 'build', 'pack', 'publish'];
  let script: string | undefined;
  if (sub === 'run' || sub === 'run-script' || sub === 'rum') script = ops[1];
  else if (lifecycle.includes(sub)) script = sub === 't' ? 'test' : sub === 'i' ? 'install' : sub;
  else if ((call.program === 'yarn' || call.program === 'pnpm' || call.program === 'bun') && sub && !/^(?:add|remove|install|upgrade|update|init|create|why|info|list|ls|outdated|audit|link|unlink|pack|config|cache|global|dlx|exec|import|store|version|workspaces?|patch|rebuild|prune|dedupe)$/.test(sub)) script = sub;
  if (!sub && (call.program === 'yarn' || call.program === 'pnpm')) script = 'install';
  // the project the package manager works in: `--prefix DIR`, `-C DIR`, `--dir DIR`, `--cwd DIR`
  const at = a.findIndex((x) => /^(?:--prefix|-C|--dir|--cwd)$/.test(x));
  const dirEq = a.find((x) => /^--(?:prefix|dir|cwd)=/.test(x));
  const dir = at >= 0 ? a[at + 1] : dirEq?.slice(dirEq.indexOf('=') + 1);
  if (script) judgePackageScripts(call, script, dir);
  else if (sub === 'pkg' && ops[1] === 'set') {
    for (const kv of ops.slice(2)) {
      const m = /^scripts\.([^=]+)=(.*)$/s.exec(kv);
      if (m) setPackageScript(call, m[1]!, m[2]!);
    }
  } else if (sub === 'set-script' && ops[1] !== undefined && ops[2] !== undefined) setPackageScript(call, ops[1], ops[2]);
  else if (sub === 'config' && ops[1] === 'set' && /^(?:(?:@[\w.-]+:)?registry|npmRegistryServer)(?:=|$)/.test(ops[2] ?? '')) {
    if (!OFFICIAL_REGISTRY.test(`${ops[2]}=${ops[3] ?? ''}`.split('=').slice(1).join('=') || (ops[3] ?? ''))) run.add('persist.package-index', `${call.program} config set ${ops[2]} points package installs at another registry`);
  } else if (sub === 'config' && ops[1] === 'set') judgeNpmConfigSet(call);
  // for this invocation: the shell scripts run in, options for every node it starts
  for (let i = 0; i < a.length; i++) {
    const m = /^--(script-shell|node-options)(?:=(.*))?$/s.exec(a[i]!);
    if (!m) continue;
    const value = m[2] ?? a[++i] ?? '';
    if (m[1] === 'script-shell') runCode(call, 'sh', value, `${call.program} --script-shell`);
    else judgeEnvValue(call, 'NODE_OPTIONS', value);
  }
  // `yarn jest` / `pnpm vitest`: no script of that name runs the package binary
  if ((call.program === 'yarn' || call.program === 'pnpm') && script && !/^(?:run|test|start|build|install)$/.test(sub)) judgePackageBin(call, sub);
  return UNKNOWN_OUTPUT;
};

const publisher = (verbs: RegExp): Handler => (call) => {
  const ops = positionals(call.args, /^-(?:r|-repository|-repository-url|p|-password|u|-username|-token|-registry|-index)$/);
  if (call.args.includes('--dry-run')) return UNKNOWN_OUTPUT;
  if (ops.some((o) => verbs.test(o)) || verbs.test(ops.join(' '))) call.exec.run.add('publish.package', `${call.program} ${ops.join(' ')} publishes a package`);
  return UNKNOWN_OUTPUT;
};


/** `gradle`, `./gradlew`: runs the build scripts (an agent-written one is judged by its content); `publish*` tasks publish. */
const gradle: Handler = (call) => {
  const a = call.args;
  const at = a.findIndex((x) => x === '-p' || x === '--project-dir');
  const eq = a.find((x) => x.startsWith('--project-dir='));
  judgeRunnerFiles(call, 'gradle', at >= 0 ? a[at + 1] : eq?.slice('--project-dir='.length));
  // (`publishToMavenLocal` and `publish…ToMavenLocal` put the artifacts in ~/.m2, on this machine)
  return publisher(/^publish(?!\w*ToMavenLocal$)\w*$/)(call);
};

const mvnDeployTo = publisher(/^deploy$|:deploy$/);
/** `mvn deploy`, unless the repository it deploys to is a local directory (`-DaltDeploymentRepository=id::file:./staging`). */
const mvnDeploy: Handler = (call) => (call.args.some((a) => /^-D(?:altDeploymentRepository|altReleaseDeploymentRepository|altSnapshotDeploymentRepository)=[^:]*::(?:default::)?file:(?!\/\/[^/])/.test(a)) ? UNKNOWN_OUTPUT : mvnDeployTo(call));
const gemPublisher = publisher(/^(?:push|yank)$/);

/** Build and publishing tool handlers, by program name. */
export const BUILD_TOOL_HANDLERS: Record<string, Handler> = {
  make, gmake: make,
  npm, pnpm: npm, yarn: npm,
  cargo: (call) => {
    const sub = positionals(call.args, /^-(?:p|-package|-bin|-example|-test|-bench|-features|F|-target|-target-dir|-manifest-path|j|-jobs|Z|-config|-color|-profile)$/)[0] ?? '';
    if (/^(?:build|b|check|c|clippy|doc|d|install|fix|rustc|package|publish|metadata)$/.test(sub)) judgeRunnerFiles(call, 'cargo-build');
    else if (/^(?:test|t|run|r|bench|miri|nextest|llvm-cov|tarpaulin)$/.test(sub)) judgeRunnerFiles(call, 'cargo-run');
    if (sub === 'yank') call.exec.run.add('publish.package', 'cargo yank withdraws a published version from the registry');
    return publisher(/^publish$/)(call);
  },
  git: (call) => {
    judgeGitConfigFiles(call);
    return GIT_HANDLERS.git!(call);
  },
  twine: publisher(/^upload$/),
  gem: (call) => {
    if (call.args[0] === 'sources') judgeGemSources(call);
    return gemPublisher(call);
  },
  flit: publisher(/^publish$/),
  vsce: publisher(/^publish$/),
  ovsx: publisher(/^publish$/),
  mvn: (call) => {
    if (positionals(call.args).some((g) => /^(?:compile|test|test-compile|package|verify|install|deploy|exec:\w+|spring-boot:run)$/.test(g))) judgeRunnerFiles(call, 'mvn');
    return mvnDeploy(call);
  },
  gradle: gradle,
  gradlew: gradle,
  dotnet: publisher(/^nuget push\b|^push$/),
  nuget: publisher(/^push$/),
  'uv-publish': publisher(/./),
  jsr: publisher(/^publish$/),
};
