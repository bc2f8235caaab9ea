/**
 * The MCP protocol versions the pinned SDK (1.32.2) speaks, newest first, copied so the start-up path can
 * answer `initialize` without loading the SDK (a test keeps them equal to the SDK's own constants).
 */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];

/** The version offered when the client asks for one the SDK does not speak (the SDK's LATEST_PROTOCOL_VERSION). */
export const LATEST_PROTOCOL_VERSION = '2025-11-25';

/** The version to answer with: the client's when supported, else the latest (as the SDK negotiates). */
export function negotiateProtocolVersion(requested: unknown): string {
  return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}
