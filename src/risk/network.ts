/**
 * URL and host helpers for network rules: loopback detection, VAIBOT's approval endpoints (with
 * URL normalization), cloud metadata endpoints, `file:` URLs.
 */

/** The host of a URL or `[user@]host[:port]` spec, lower-cased, or null when there is none. */
export function urlHost(spec: string): string | null {
  const s = spec.trim();
  if (s === '') return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(s);
  if (m) return m[1]!.includes('\uE000') ? null : m[1]!.toLowerCase().replace(/^\[|\]$/g, '');
  // a part known only at run time after the host's end (`localhost:3000/$id`) leaves the host known
  const known = s.split('\uE000')[0]!;
  if (known !== s && !/[/?#]/.test(known)) return null;
  if (/^(?:file|data|unix):/i.test(s)) return null;
  // bare host[:port][/path] as curl/wget accept it
  const b = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[A-Za-z0-9.-]+)(?::\d+)?(?:[/?#].*)?$/s.exec(known);
  if (b && (b[1]!.includes('.') || b[1] === 'localhost' || b[1]!.startsWith('['))) return b[1]!.toLowerCase().replace(/^\[|\]$/g, '');
  return null;
}

/**
 * An IPv4 address in any spelling `inet_aton` (and so curl, wget and browsers) accepts: 1 to 4
 * parts, each decimal, octal (`0177`) or hex (`0x7f`): `127.1`, `2130706433`, `0x7f.1`. Null when
 * the text is no such address.
 */
export function ipv4Value(host: string): number | null {
  const parts = host.split('.');
  if (parts.length < 1 || parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    if (!/^(?:0x[0-9a-f]*|0[0-7]*|[1-9]\d*)$/i.test(p)) return null;
    const v = /^0x/i.test(p) ? parseInt(p.slice(2) || '0', 16) : p.length > 1 && p.startsWith('0') ? parseInt(p, 8) : Number(p);
    if (!Number.isFinite(v)) return null;
    nums.push(v);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
  return nums.reduce((acc, n, i) => acc + n * 2 ** (8 * (3 - i)), 0) + last;
}

/**
 * True for localhost, 127.0.0.0/8 (however spelled: `127.1`, `0x7f000001`), ::1, 0.0.0.0,
 * *.localhost, a fully qualified `localhost.`, and Docker's names for the machine itself
 * (`host.docker.internal`).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const v4 = ipv4Value(h);
  if (v4 !== null) return v4 === 0 || Math.floor(v4 / 2 ** 24) === 127;
  return (
    h === 'host.docker.internal' || h === 'gateway.docker.internal' ||
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    h === '::ffff:127.0.0.1'
  );
}

/**
 * Path shapes of VAIBOT's approval routes, matched on the last segment (the verb) and some earlier
 * segment (a marker). Covers the API (`PATCH /v2/receipts/:hash/approve|deny`), the dashboard's
 * form routes (`POST /verify/decision/:hash/approve|deny`) and any `/v2/…/approve|deny` or
 * `approvals/:id/decision` route.
 */
const APPROVAL_ROUTES: ReadonlyArray<{ verbs: readonly string[]; markers: readonly string[] }> = [
  { verbs: ['approve', 'deny'], markers: ['v2', 'verify', 'decision', 'receipts', 'approvals', 'approval'] },
  { verbs: ['decision'], markers: ['approvals', 'approval'] },
];
/** Stands for a part of a URL that may be anything (a curl glob too large to expand). */
const WILDCARD = '\uE001';
/** At most this many URLs are tried for one curl brace glob (`{a,b}{c,d}` = 4). */
const MAX_EXPANSIONS = 64;

/**
 * True when a URL, path, or text containing them targets a VAIBOT approval endpoint. URLs are
 * normalized first: percent-decoding, case, dot segments, curl globs (`{a,b}` expanded, `[a-z]`
 * ranges matched as the characters they stand for).
 */
export function isApprovalUrl(spec: string): boolean {
  if (spec.length > 200_000 || !spec.includes('/')) return false;
  return spec.split(/[\s'"<>`]+/).some((token) => token.includes('/') && approvalToken(token));
}

/**
 * True when pieces of a URL, concatenated in order, target an approval endpoint: string literals
 * of code that builds the URL at run time (`base + '/v2/receipts/' + id + '/approve'`). Runs of up
 * to nine consecutive pieces are tried, so unrelated literals around the URL do not hide it.
 */
export function joinsToApprovalUrl(pieces: readonly string[]): boolean {
  // printf-style placeholders stand for run-time values (`'/v2/receipts/%s/%s' % (h, 'appr' + 'ove')`)
  const parts = pieces.filter((p) => p.length <= 2048 && !/\s/.test(p.trim())).map((p) => p.replace(/%(?:\([^)]*\))?[sdr]/g, ''));
  for (let end = 0; end < parts.length; end++) {
    for (let start = end; start >= Math.max(0, end - 8); start--) {
      const joined = parts.slice(start, end + 1).join('');
      if (joined.includes('/') && approvalToken(joined)) return true;
    }
  }
  return false;
}

/** One whitespace-free token: does any of its readings reach an approval route? */
function approvalToken(token: string): boolean {
  const path = token.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/s, '');
  return expandBraces(path).some((candidate) => routeMatches(pathSegments(candidate)));
}

/** Expand curl's `{a,b}` sets; when there are too many combinations, each set becomes a wildcard. */
function expandBraces(text: string): string[] {
  const groups = text.match(/\{[^{}]*\}/g) ?? [];
  const total = groups.reduce((n, g) => n * g.split(',').length, 1);
  if (total > MAX_EXPANSIONS) return [text.replace(/\{[^{}]*\}/g, WILDCARD)];
  let out = [text];
  for (const g of groups) {
    const alternatives = g.slice(1, -1).split(',');
    out = out.flatMap((t) => alternatives.map((a) => t.replace(g, () => a)));
  }
  return out;
}

/** Decoded, lower-cased path segments with `.`, `..` and empty segments resolved as curl and servers do. */
function pathSegments(path: string): string[] {
  const decoded = percentDecode(percentDecode(path)).toLowerCase();
  const out: string[] = [];
  for (const seg of decoded.split(/[/\\]/)) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out;
}

/** Decode `%XX` escapes; malformed ones stay as written. */
function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9a-f]{2})+/gi, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m.replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    }
  });
}

/** Does a list of (possibly glob) segments end like an approval route? */
function routeMatches(segs: string[]): boolean {
  if (segs.length < 2) return false;
  const last = segmentMatcher(segs[segs.length - 1]!);
  const earlier = segs.slice(0, -1).map(segmentMatcher);
  return APPROVAL_ROUTES.some((r) => r.verbs.some(last) && earlier.some((m) => r.markers.some(m)));
}

/** A predicate telling whether a segment (literal, or with curl `[a-z]` ranges and wildcards) can be a given word. */
function segmentMatcher(seg: string): (word: string) => boolean {
  if (!/[[\uE001]/.test(seg)) return (word) => seg === word;
  let source = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    const close = c === '[' ? seg.indexOf(']', i) : -1;
    if (c === WILDCARD) source += '.*';
    else if (close > i) {
      source += rangeSource(seg.slice(i + 1, close));
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  try {
    const re = new RegExp(`^${source}$`);
    return (word) => re.test(word);
  } catch {
    return () => true;
  }
}

/** The regex source for the inside of a curl range glob (`a-z`, `0-9`, `001-100`, `a-z:2`). */
function rangeSource(inner: string): string {
  const m = /^([a-z])-([a-z])(?::\d+)?$/.exec(inner);
  if (m) return m[1]! <= m[2]! ? `[${m[1]}-${m[2]}]` : '.';
  if (/^\d+-\d+(?::\d+)?$/.test(inner)) return '\\d+';
  return '.*';
}

/** Known names of cloud instance-metadata services (they hand out the instance's credentials). */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal', 'metadata.azure.internal', 'metadata.tencentyun.com', 'metadata.platformequinix.com']);
/** Metadata IPv4 addresses as 32-bit numbers: AWS/Azure/GCP/OCI/DO 169.254.169.254, ECS 169.254.170.2, EKS 169.254.170.23, Alibaba 100.100.100.200. */
const METADATA_V4 = new Set([ipv4Number(169, 254, 169, 254), ipv4Number(169, 254, 170, 2), ipv4Number(169, 254, 170, 23), ipv4Number(100, 100, 100, 200)]);
/** Metadata IPv6 addresses, fully expanded: AWS fd00:ec2::254 and fd00:ec2::23, GCP fd20:ce::254. */
const METADATA_V6 = new Set(['fd00:0ec2:0000:0000:0000:0000:0000:0254', 'fd00:0ec2:0000:0000:0000:0000:0000:0023', 'fd20:00ce:0000:0000:0000:0000:0000:0254']);

function ipv4Number(a: number, b: number, c: number, d: number): number {
  return ((a * 256 + b) * 256 + c) * 256 + d;
}

/**
 * True when a host (as {@link urlHost} returns it) is a cloud instance-metadata endpoint, in any
 * spelling the resolver accepts: dotted, decimal, hex or octal IPv4, IPv4-mapped IPv6, expanded
 * IPv6, a trailing dot, or a wildcard-DNS name embedding the address (`169.254.169.254.nip.io`).
 */
export function isCloudMetadataHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (METADATA_NAMES.has(h)) return true;
  const v4 = parseIpv4(h) ?? parseIpv4(embeddedIpv4(h) ?? '');
  if (v4 !== null) return METADATA_V4.has(v4);
  const v6 = expandIpv6(h);
  if (v6 === null) return false;
  if (METADATA_V6.has(v6)) return true;
  const mapped = /^0000:0000:0000:0000:0000:ffff:([0-9a-f]{4}):([0-9a-f]{4})$/.exec(v6);
  return mapped !== null && METADATA_V4.has(parseInt(mapped[1]! + mapped[2]!, 16));
}

/** An IPv4 address written inside a wildcard-DNS name (nip.io, sslip.io, xip.io, …): `a-b-c-d.nip.io`, `a9fea9fe.nip.io`. */
function embeddedIpv4(host: string): string | null {
  if (!/\.(?:nip|sslip|xip|traefik\.me|localtest\.me)(?:\.io)?$|\.(?:nip|sslip|xip)\.io$/.test(host)) return null;
  const dotted = /(?:^|[.-])(\d{1,3})[.-](\d{1,3})[.-](\d{1,3})[.-](\d{1,3})(?=[.-])/.exec(host);
  if (dotted) return dotted.slice(1, 5).join('.');
  const hex = /(?:^|[.-])([0-9a-f]{8})\./.exec(host);
  return hex ? `0x${hex[1]}` : null;
}

/** Parse an IPv4 address the way inet_aton does (1 to 4 parts, each decimal, 0x-hex or 0-octal); null if it is not one. */
export function parseIpv4(text: string): number | null {
  if (!/^[0-9a-fx.]+$/i.test(text) || text === '') return null;
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    const n = /^0x[0-9a-f]*$/i.test(p) ? parseInt(p.slice(2) || '0', 16) : /^0[0-7]*$/.test(p) ? parseInt(p, 8) : /^[1-9]\d*$/.test(p) ? parseInt(p, 10) : NaN;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((acc, n, i) => acc + n * 256 ** (3 - i), 0) + last;
}

/** Expand an IPv6 address to eight four-digit groups (an embedded IPv4 tail converted); null if it is not one. */
function expandIpv6(text: string): string | null {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/.test(text)) return null;
  let t = text.replace(/%.*$/, '');
  const tail = /:(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (tail) {
    const n = parseIpv4(tail[1]!);
    if (n === null) return null;
    t = t.slice(0, tail.index + 1) + (n >>> 16).toString(16) + ':' + (n & 0xffff).toString(16);
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - rest.length : 0;
  const groups = [...head, ...Array<string>(Math.max(fill, 0)).fill('0'), ...rest];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.padStart(4, '0')).join(':');
}

/**
 * The path a `file:` URL names (`file:///p`, `file://host/p`, `file:/p`), percent-decoded; `file://~/p`
 * gives `~/p`. Null for anything else.
 */
export function fileUrlPath(spec: string): string | null {
  const m = /^file:(?:\/\/(?=~)|\/\/[^/~]*(?=\/)|(?=\/))([^?#]*)/i.exec(spec.trim());
  return m && m[1] !== '' ? percentDecode(m[1]!) : null;
}
