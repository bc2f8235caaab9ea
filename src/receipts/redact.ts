/** The marker that replaces a redacted secret. */
export const REDACTED = '[REDACTED]';

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens
  [/((?:authorization|proxy-authorization)\s*[:=]\s*(?:bearer|basic|token)?\s*)[^\s'"]+/gi, `$1${REDACTED}`],
  [/(\bbearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`],
  // NAME=value where NAME looks secret (env assignments, .env lines, --flag=value)
  [/(\b[A-Za-z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|PWD|CREDENTIALS?|AUTH)[A-Za-z0-9_]*\s*=\s*)("[^"]*"|'[^']*'|[^\s'"]+)/gi, `$1${REDACTED}`],
  // --password value / --token value / -p value style flags
  [/(--?(?:password|passwd|token|api-key|apikey|secret|access-key|secret-key|auth)(?:\s+|=))("[^"]*"|'[^']*'|[^\s'"]+)/gi, `$1${REDACTED}`],
  // user:password@ in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
  // Well-known token formats
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, REDACTED],
  [/\bgithub_pat_[A-Za-z0-9_]{40,}\b/g, REDACTED],
  [/\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}\b/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, REDACTED],
  [/\bvb_[A-Za-z0-9_-]{20,}\b/g, REDACTED],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
];

/** Redact secrets (tokens, passwords, keys in arguments or headers) from a string. */
export function redactText(text: string): string {
  let out = text;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

/** Redact every string inside a JSON-like value (objects and arrays walked, keys that look secret blanked). */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 32) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = /(?:key|token|secret|password|passwd|credential|authorization)$/i.test(k) && typeof v === 'string' ? REDACTED : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}
