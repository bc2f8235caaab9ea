import type { PostToolUseInput } from '../codex/hookInput.js';
import type { HookOutput } from '../codex/hookOutput.js';
import { intentOf, isOwnTool } from '../intent/intentOf.js';
import { contentHash } from '../intent/contentHash.js';
import type { HookEnv } from './hookEnv.js';
import { scanSecrets } from '../secrets/scanSecrets.js';

/** How much of a tool's output is scanned for secrets (bounded time). */
export const OUTPUT_SCAN_MAX_CHARS = 4 * 1024 * 1024;

/** The text of a tool response as the model would see it: a string, or MCP content's text parts. */
function responseText(response: unknown): string {
  if (typeof response === 'string') return response;
  const content = (response as { content?: unknown } | null)?.content;
  if (Array.isArray(content)) {
    return content.map((c) => (typeof (c as { text?: unknown })?.text === 'string' ? (c as { text: string }).text : JSON.stringify(c))).join('\n');
  }
  return JSON.stringify(response ?? null);
}

/**
 * PostToolUse: finalize the run with an outcome receipt (exit code, duration, error, output hash), and
 * withhold output that carries secrets from the model (enforce mode; observe mode only says so).
 */
export async function postToolUse(input: PostToolUseInput, env: HookEnv): Promise<HookOutput> {
  if (isOwnTool(input.tool_name)) return { kind: 'allow' };
  const intent = intentOf(input.tool_name, input.tool_input, input.cwd);
  const scan = scanSecrets(responseText(input.tool_response), { maxChars: OUTPUT_SCAN_MAX_CHARS });
  const secrets = scan.findings.map((f) => ({ kind: f.kind, sha256: f.sha256 }));
  const result = await env.governance.finalize({
    intent, hash: contentHash(intent), sessionId: input.session_id, turnId: input.turn_id ?? null,
    toolUseId: input.tool_use_id ?? null, model: input.model ?? null, mode: env.settings.mode, at: env.now(),
    toolResponse: input.tool_response,
    ...(secrets.length > 0 ? { withheld: secrets } : {}),
  });
  const unscannedWithheld = scan.truncated && env.unscannedOutput !== 'pass';
  if (secrets.length === 0 && !unscannedWithheld) return { kind: 'allow' };
  if (secrets.length === 0) {
    if (env.settings.mode === 'observe') {
      env.breadcrumb(`VAIBot [observe]: ${intent.tool} output is larger than ${OUTPUT_SCAN_MAX_CHARS} characters; it would be withheld because it cannot be fully scanned`);
      return { kind: 'allow' };
    }
    return {
      kind: 'withhold',
      reason: `VAIBot withheld this ${intent.tool} output from the model: it is larger than ${OUTPUT_SCAN_MAX_CHARS} characters and could not be fully scanned for secrets (policy outputs.unscanned: withhold). The tool did run; ask for a smaller part of the output`,
    };
  }
  const kinds = [...new Set(secrets.map((s) => s.kind))].join(', ');
  if (env.secretsInOutput === 'allow') {
    env.breadcrumb(`VAIBot: ${intent.tool} output contains secrets (${kinds}); passed to the model (policy outputs.secrets: allow)`);
    return { kind: 'allow' };
  }
  if (env.settings.mode === 'observe') {
    env.breadcrumb(`VAIBot [observe]: ${intent.tool} output contains secrets (${kinds}); it would be withheld from the model`);
    return { kind: 'allow' };
  }
  return {
    kind: 'withhold',
    reason:
      `VAIBot withheld this ${intent.tool} output from the model: it contains ${secrets.length} secret(s) (${kinds}). ` +
      'The tool did run. The human can see the output in their own terminal or Codex view, or run the command themselves; ' +
      `the receipt ${result.receiptId} records only the kinds and hashes. Agent: do not try to print these values another way`,
  };
}
