/**
 * Commands that build and container configurations run when the tool reads them: a Compose file's
 * services (as the `docker run` they amount to), Maven's exec and antrun plugins, a mix.exs's
 * `System.cmd`. A configuration the agent writes is judged by these as shell, like a patch's planted
 * code (patchRules.ts).
 */
import { shellQuote } from './commands/support.js';

/** Host-namespace settings of a Compose service, as `docker run` flags. */
const COMPOSE_HOST_KEYS: Record<string, string> = { pid: 'pid', network_mode: 'network', ipc: 'ipc', uts: 'uts', userns_mode: 'userns' };

/**
 * A Compose file as the `docker run` it amounts to, for what reaches the host: `privileged`, host
 * namespaces, SYS_ADMIN/ALL capabilities, and host paths mounted (short `SRC:DST` items and long
 * `source:` entries). One command for the file (services are not told apart: any of them is enough).
 */
export function composeRunCommands(text: string): string[] {
  const flags: string[] = [];
  if (/^\s*privileged\s*:\s*["']?true\b/m.test(text)) flags.push('--privileged');
  for (const m of text.matchAll(/^\s*(pid|network_mode|ipc|uts|userns_mode)\s*:\s*["']?host\b/gm)) flags.push(`--${COMPOSE_HOST_KEYS[m[1]!]}=host`);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*cap_add\s*:\s*(.*)$/.exec(lines[i]!);
    if (!m) continue;
    const items = [m[1]!];
    for (let k = i + 1; k < lines.length && /^\s*-\s/.test(lines[k]!); k++) items.push(lines[k]!);
    if (items.some((l) => /\b(?:CAP_)?(?:SYS_ADMIN|ALL)\b/.test(l))) flags.push('--cap-add=SYS_ADMIN');
  }
  const hostPath = String.raw`(?:\/|~|\.|\$\{?HOME\b)[^:"'\s]*`;
  for (const m of text.matchAll(new RegExp(String.raw`^\s*-\s*["']?(${hostPath}):([^"'\s]+)["']?\s*$`, 'gm'))) flags.push('-v', `${homeOf(m[1]!)}:${m[2]}`);
  for (const m of text.matchAll(new RegExp(String.raw`^\s*source\s*:\s*["']?(${hostPath})["']?\s*$`, 'gm'))) flags.push('-v', `${homeOf(m[1]!)}:/mnt`);
  return flags.length === 0 ? [] : [`docker run ${flags.map(shellQuote).join(' ')} compose-service`];
}

/** `$HOME`/`${HOME}` in a Compose path, spelled `~`. */
function homeOf(path: string): string {
  return path.replace(/^\$\{?HOME\}?/, '~');
}

/** XML character references and the five entities, decoded. */
function xmlText(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
    .trim();
}

/**
 * pom.xml: what the exec plugin runs (`<executable>` with its `<argument>`s, in each configuration
 * block) and Ant's `<exec executable=…>` with its `<arg value|line=…>` in the antrun plugin.
 */
export function mavenPomCommands(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/<configuration\b[^>]*>([\s\S]*?)<\/configuration>/g)) {
    const block = m[1]!;
    const exe = /<executable>([\s\S]*?)<\/executable>/.exec(block)?.[1];
    if (exe === undefined) continue;
    const args = [...block.matchAll(/<argument>([\s\S]*?)<\/argument>/g)].map((a) => xmlText(a[1]!));
    out.push([xmlText(exe), ...args].map(shellQuote).join(' '));
  }
  for (const m of text.matchAll(/<exec\b([^>]*?)(?:\/>|>([\s\S]*?)<\/exec>)/g)) {
    const exe = /\bexecutable\s*=\s*"([^"]*)"/.exec(m[1]!)?.[1];
    if (exe === undefined) continue;
    const args: string[] = [];
    for (const a of (m[2] ?? '').matchAll(/<arg\b[^>]*?\b(value|line)\s*=\s*"([^"]*)"/g)) {
      if (a[1] === 'value') args.push(shellQuote(xmlText(a[2]!)));
      else args.push(xmlText(a[2]!));
    }
    out.push([shellQuote(xmlText(exe)), ...args].join(' '));
  }
  return out;
}

/** An Elixir string literal's text (`"…"` or `'…'` charlist), escapes resolved. */
function elixirString(lit: string): string {
  return lit.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/**
 * mix.exs (evaluated by every `mix` command): `System.cmd("prog", ["arg", …])`, `System.shell("…")`,
 * `:os.cmd('…')` and `Mix.shell().cmd("…")` with literal arguments.
 */
export function mixExsCommands(text: string): string[] {
  const out: string[] = [];
  const str = String.raw`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`;
  for (const m of text.matchAll(new RegExp(String.raw`System\.cmd\(\s*${str}\s*,\s*\[([^\]]*)\]`, 'g'))) {
    const args = [...m[2]!.matchAll(new RegExp(str, 'g'))].map((a) => elixirString(a[1]!));
    out.push([elixirString(m[1]!), ...args].map(shellQuote).join(' '));
  }
  for (const m of text.matchAll(new RegExp(String.raw`(?:System\.shell|:os\.cmd|Mix\.shell\(\)\.cmd)\(\s*(?:String\.to_charlist\(\s*)?${str}`, 'g'))) out.push(elixirString(m[1]!));
  return out;
}

/**
 * MSBuild project and import files (`*.csproj`, `Directory.Build.props`, `*.targets`, …), evaluated
 * by every `dotnet build`/`test`/`run` and `msbuild`: the `Command` of each `<Exec>` task.
 */
export function msbuildExecCommands(text: string): string[] {
  return [...text.matchAll(/<Exec\b[^>]*?\bCommand\s*=\s*(?:"([^"]*)"|'([^']*)')/g)].map((m) => xmlText(m[1] ?? m[2] ?? '').replace(/\$\([\w.]+\)/g, 'x'));
}

/** The string literals of a Zig tuple or slice literal (`&.{ "sh", "-c", "…" }`), as one command line. */
function zigArgv(list: string): string {
  return [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => shellQuote(x[1]!.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'))).join(' ');
}

/**
 * build.zig (compiled and run by every `zig build`): `b.addSystemCommand(&.{ … })`, and child
 * processes made with `std.process.Child.init(&.{ … }, …)` or `.argv = &.{ … }`, with literal argv.
 */
export function zigBuildCommands(text: string): string[] {
  return [...text.matchAll(/(?:\baddSystemCommand\s*\(|\bChild\.init\s*\(|\.argv\s*=)\s*&\.\{([^}]*)\}/g)].map((m) => zigArgv(m[1]!)).filter((c) => c !== '');
}
