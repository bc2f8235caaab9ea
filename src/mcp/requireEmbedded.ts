import type { Settings } from '../config/settings.js';
import { McpToolError } from './mcpToolError.js';

/**
 * Reading approvals and receipts through this server needs the local (embedded) state. With
 * VAIBOT_API_URL set they live on the governance server, which this build of the MCP server does not
 * read yet: say so, and where the user can look instead.
 */
export function requireEmbedded(settings: Settings, what: string): void {
  if (settings.apiUrl === undefined) return;
  throw new McpToolError(
    'not_supported',
    `${what} are kept by the governance server at ${settings.apiUrl} (remote mode), and this MCP server does not read them from there`,
    `open ${settings.dashboardUrl}/approvals in a browser, or run \`vaibot status\` in a terminal`,
  );
}
