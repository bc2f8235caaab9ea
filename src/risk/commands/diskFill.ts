/**
 * Filling the disk or memory on purpose: preallocations and copies of tens of gigabytes, endless
 * streams (`yes`, /dev/zero) written to a file, stress tools. A build that writes a few gigabytes
 * is normal; these are not.
 */
import type { Call } from '../call.js';
import { type DataSource, PLAIN } from '../shellValue.js';
import { display, optionValue, parseOptions } from './support.js';

/** Sizes past this are a fill, not a test file (10 GiB). */
const FILL_BYTES = 10 * 1024 ** 3;

/** Bytes a size argument means (`500G`, `1T`, `4096`, `1M`, dd's `1MB`), or null. */
export function sizeBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtpe]?)(i?b?)$/i.exec(text.trim());
  if (!m) return null;
  const exp = ' kmgtpe'.indexOf((m[2] ?? '').toLowerCase() || ' ');
  const base = m[3]?.toLowerCase() === 'b' && m[2] ? 1000 : 1024;
  return Number(m[1]) * base ** Math.max(0, exp);
}

/** A device that takes whatever it is given (`/dev/null`), not memory-backed storage such as `/dev/shm`, which fills like a disk. */
export function isDeviceSink(path: string): boolean {
  return /^\/dev\//.test(path) && !/^\/dev\/shm(?:\/|$)/.test(path);
}

/** Devices that never end. */
const ENDLESS = /^\/dev\/(?:zero|u?random)$/;

/** The programs {@link judgeDiskFill} looks at. */
const FILLERS = /^(?:fallocate|dd|head|stress|stress-ng)$/;

/** Judge `fallocate -l`, `dd bs= count=`, `head -c` of an endless device, and stress tools. */
export function judgeDiskFill(call: Call): void {
  if (!FILLERS.test(call.program)) return;
  const run = call.exec.run;
  const a = call.args;
  let bytes: number | null = null;
  if (call.program === 'fallocate') {
    const o = parseOptions(call.argWords, { shortArg: 'lo', longArg: ['--length', '--offset'] });
    bytes = sizeBytes(optionValue(o, ['l', '--length'])?.text ?? '');
  } else if (call.program === 'dd') {
    const opt = (k: string) => a.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
    const bs = sizeBytes(opt('bs') ?? opt('obs') ?? '512') ?? 512;
    const count = opt('count');
    const endless = ENDLESS.test(opt('if') ?? '') && opt('of') !== undefined && !isDeviceSink(opt('of') ?? '');
    bytes = count !== undefined ? bs * Number(count) : endless ? Infinity : null;
  } else if (call.program === 'head') {
    const o = parseOptions(call.argWords, { shortArg: 'cn', longArg: ['--bytes', '--lines'] });
    const input = o.operands[o.operands.length - 1]?.text ?? (call.stdin.kind === 'file' ? call.stdin.path ?? '' : '');
    if (ENDLESS.test(input)) bytes = sizeBytes(optionValue(o, ['c', '--bytes'])?.text ?? '');
  } else if (a.some((x) => /^--(?:vm|hdd|cpu|fork|io|malloc)$/.test(x) || /^-[cmdi]$/.test(x))) {
    run.add('proc.resource-exhaustion', `${call.program} ${display(a.join(' '))} loads the machine on purpose`);
    return;
  }
  if (bytes !== null && bytes >= FILL_BYTES)
    run.add('proc.resource-exhaustion', `${call.program} ${display(a.join(' '))} writes ${Number.isFinite(bytes) ? `${Math.round(bytes / 1024 ** 3)} GiB` : 'until the disk is full'}`);
}

/** The `producer` of a stream that never ends (`seq inf`; `yes` is known by its own name). */
export const ENDLESS_PRODUCER = 'endless';

/** A stream that never ends. */
export const ENDLESS_OUTPUT: DataSource = { kind: 'unknown', from: PLAIN, producer: ENDLESS_PRODUCER };

/** `seq … inf`: numbers without end (marked so a redirect or `xargs -P0` of it is judged). */
export function seqOutput(call: Call): DataSource {
  return call.args.some((x) => /^[+]?inf(?:inity)?$/i.test(x)) ? ENDLESS_OUTPUT : { kind: 'unknown', from: PLAIN, producer: 'seq' };
}

/** Programs that pass an endless input on as endless output. */
const ENDLESS_FILTERS = /^(?:cat|gzip|pigz|bzip2|xz|zstd|lz4|base64|base32|xxd|od|hexdump|tr|sed|awk|gawk|tee|openssl|pv|cut|rev)$/;

/** A filter fed an endless stream, and not told to stop after so much (`head -c`-like counts), never ends either (`cat /dev/zero | gzip > f`). */
export function passesEndless(call: Call): boolean {
  return ENDLESS_FILTERS.test(call.program) && isEndlessOutput(call.stdin) && !call.args.some((a) => /^-[a-zA-Z]*[cn]$|^--(?:bytes|lines|count)\b|^count=/.test(a));
}

/** A redirect of an endless stream (`yes > f`, `cat /dev/zero > f`) fills the disk. */
export function isEndlessOutput(out: DataSource): boolean {
  return (out.kind === 'unknown' && (out.producer === 'yes' || out.producer === ENDLESS_PRODUCER)) || (out.kind === 'file' && out.path !== null && ENDLESS.test(out.path));
}

/** `xargs -P0` over an endless stream: processes are started without limit until the machine stops. */
export function judgeUnboundedFanOut(call: Call, unboundedParallel: boolean): void {
  if (unboundedParallel && isEndlessOutput(call.stdin)) call.exec.run.add('proc.resource-exhaustion', `${call.program} ${display(call.args.join(' '))} starts processes without limit, fed by an endless stream`);
}
