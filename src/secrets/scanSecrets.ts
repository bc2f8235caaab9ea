import { createHash } from 'node:crypto';

/** One secret found in text: its kind and a hash of the value, never the value itself. */
export interface SecretFinding {
  kind: string;
  /** `sha256:<hex>` of the secret value. */
  sha256: string;
  /** Character offset where it starts (for redaction). */
  index: number;
  length: number;
}

interface Detector {
  kind: string;
  re: RegExp;
  /** Which capture group holds the secret value (0 = whole match). */
  group?: number;
  /** Extra check on the captured value (e.g. rejects placeholders). */
  accept?: (value: string) => boolean;
  /**
   * A cheap pattern that every match must contain: the full pattern then runs only on a window around
   * each of its hits, so large outputs without candidates cost one fast pass.
   */
  near?: RegExp;
}

const PLACEHOLDER = /^(?:x+|\*+|\.+|changeme|change_me|your[-_a-z]*|<[^>]*>|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|none|null|undefined|true|false|example|dummy|redacted|\[redacted\]|test|todo)$/i;

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) { const p = c / s.length; h -= p * Math.log2(p); }
  return h;
}

/** A value that looks like a real credential rather than a word, a number, a path or a placeholder. */
function credentialLike(value: string): boolean {
  const v = value.replace(/^['"]|['"]$/g, '');
  if (v.length < 8 || PLACEHOLDER.test(v)) return false;
  if (/^\d+$/.test(v) || /^[a-z]+$/i.test(v) || v.includes('/') && !/[+=]/.test(v) && v.split('/').length > 2) return false;
  return entropy(v) >= 2.5;
}

const DETECTORS: Detector[] = [
  { kind: 'private-key', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { kind: 'aws-secret-access-key', re: /\baws_secret_access_key\s*[=:]\s*["']?([A-Za-z0-9/+=]{40})\b/gi, group: 1 },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/g },
  { kind: 'openai-api-key', re: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-proj-[A-Za-z0-9_-]{40,}\b/g },
  { kind: 'anthropic-api-key', re: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{40,}\b/g },
  { kind: 'slack-token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'stripe-secret-key', re: /\b(?:sk|rk)_live_[0-9A-Za-z]{24,}\b/g },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { kind: 'vaibot-key', re: /\bvb_(?:agent|appr|live)_[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}\b/g },
  // anchored at "://" (cheap to find) rather than at every word start
  { kind: 'url-credentials', re: /:\/\/[^\s/:@'"]+:([^\s/@'"]{6,})@/g, group: 1, accept: credentialLike },
  {
    // .env-style and shell assignments of *_KEY, *_TOKEN, *_SECRET, passwords
    kind: 'secret-assignment',
    re: /(?:^|[\s;'"{,])(?:export\s+)?["']?([A-Za-z0-9_.-]*(?:_KEY|_TOKEN|_SECRET|SECRET_KEY|PASSWORD|PASSWD|_PWD|API_KEY|ACCESS_KEY|PRIVATE_KEY|CLIENT_SECRET)|password|passwd|secret|token|api_key|apikey)["']?\s*[:=]\s*("[^"\n]{8,}"|'[^'\n]{8,}'|[^\s"',;}]{8,})/gim,
    group: 2,
    accept: credentialLike,
    near: /(?:KEY|TOKEN|SECRET|PASSWD|PASSWORD|PWD)["']?\s*[:=]/gi,
  },
];

/** Matches of `d.re` in `text`, or only in windows around hits of `d.near` (same results, less work). */
function* matchesOf(d: Detector, text: string): Generator<{ value: string | undefined; index: number; whole: string }> {
  if (!d.near) {
    d.re.lastIndex = 0;
    for (const m of text.matchAll(d.re)) yield { value: m[d.group ?? 0], index: m.index ?? 0, whole: m[0] };
    return;
  }
  d.near.lastIndex = 0;
  let covered = -1;
  for (const hit of text.matchAll(d.near)) {
    const at = hit.index ?? 0;
    if (at < covered) continue;
    // a line holds the whole assignment: scan from the start of the hit's line to the end of the next
    const start = Math.max(0, text.lastIndexOf('\n', at) + 1);
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : Math.min(text.length, (text.indexOf('\n', nl + 1) + 1 || text.length));
    covered = end;
    d.re.lastIndex = 0;
    const prefix = start > 0 ? text[start - 1] as string : '';
    for (const m of (prefix + text.slice(start, end)).matchAll(d.re)) {
      yield { value: m[d.group ?? 0], index: start - prefix.length + (m.index ?? 0), whole: m[0] };
    }
  }
}

/** Options for {@link scanSecrets}. */
export interface ScanOptions {
  /** Scan at most this many characters (bounded time); default 4 MiB. */
  maxChars?: number;
}

/** The result of a scan: findings (deduplicated by value) and whether the text was cut for scanning. */
export interface ScanResult {
  findings: SecretFinding[];
  truncated: boolean;
}

/**
 * Find secrets in text (tool output, file content): private keys, cloud and API tokens, our own keys,
 * `.env`-style assignments of *_KEY / *_TOKEN / *_SECRET / passwords. Hashes, UUIDs and plain base64
 * blobs are not secrets by themselves and are not reported. Runs in time linear in the scanned size.
 */
export function scanSecrets(text: string, opts: ScanOptions = {}): ScanResult {
  const max = opts.maxChars ?? 4 * 1024 * 1024;
  const truncated = text.length > max;
  const scanned = truncated ? text.slice(0, max) : text;
  const findings: SecretFinding[] = [];
  const seen = new Set<string>();
  for (const d of DETECTORS) {
    for (const m of matchesOf(d, scanned)) {
      const value = m.value;
      if (value === undefined) continue;
      if (d.accept && !d.accept(value)) continue;
      const sha256 = `sha256:${createHash('sha256').update(value, 'utf8').digest('hex')}`;
      if (seen.has(sha256)) continue;
      seen.add(sha256);
      const offset = m.whole.indexOf(value);
      findings.push({ kind: d.kind, sha256, index: m.index + Math.max(0, offset), length: value.length });
    }
  }
  return { findings, truncated };
}
