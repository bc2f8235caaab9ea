import { createHash } from 'node:crypto';
import { canonicalJson } from '../receipts/canonicalJson.js';
import type { Intent } from './intent.js';

/** SHA-256 over RFC 8785 canonical JSON, as `sha256:<hex>`. */
export function sha256OfCanonical(value: unknown): string {
  const json = canonicalJson(value);
  return `sha256:${createHash('sha256').update(json, 'utf8').digest('hex')}`;
}

/**
 * The content hash that binds an approval to one exact action:
 * `sha256:` + hex SHA-256 of the RFC 8785 JSON of {tool, intent, cwd}, where intent is the whole
 * command / every patch target / the MCP arguments, never truncated.
 */
export function contentHash(intent: Intent): string {
  return sha256OfCanonical({ tool: intent.tool, intent: intent.body, cwd: intent.cwd });
}
