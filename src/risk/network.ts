/**
 * URL and host helpers for network rules: loopback detection and VAIBOT's approval endpoints.
 */

/** The host of a URL or `[user@]host[:port]` spec, lower-cased, or null when there is none. */
export function urlHost(spec: string): string | null {
  const s = spec.trim();
  if (s === '') return null;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(s);
  if (m) return m[1]!.includes('\uE000') ? null : m[1]!.toLowerCase().replace(/^\[|\]$/g, '');
  if (s.includes('\uE000')) return null;
  if (/^(?:file|data|unix):/i.test(s)) return null;
  // bare host[:port][/path] as curl/wget accept it
  const b = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[A-Za-z0-9.-]+)(?::\d+)?(?:[/?#].*)?$/.exec(s);
  if (b && (b[1]!.includes('.') || b[1] === 'localhost' || b[1]!.startsWith('['))) return b[1]!.toLowerCase().replace(/^\[|\]$/g, '');
  return null;
}

/** True for localhost, 127.0.0.0/8, ::1, 0.0.0.0 and *.localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127(?:\.\d{1,3}){3}$/.test(h) ||
    h === '::1' ||
    h === '0:0:0:0:0:0:0:1' ||
    h === '0.0.0.0' ||
    h === '::ffff:127.0.0.1'
  );
}

/** True when a URL (or path) targets a VAIBOT approval endpoint: `/approve` or `/deny` under a `/v2/` path. */
export function isApprovalUrl(spec: string): boolean {
  return /\/v2\/(?:[^\s?#]*\/)?(?:approve|deny|approvals?\/[^\s?#/]+\/(?:approve|deny|decision))(?:[/?#\s]|$)/i.test(spec);
}
