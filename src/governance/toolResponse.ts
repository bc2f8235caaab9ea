import { createHash } from 'node:crypto';
import type { Outcome } from '../receipts/receipt.js';
import { redactText } from '../receipts/redact.js';

/** What we keep of a tool's response: never the output itself, only its shape and a hash input. */
export interface ToolResponseSummary {
  status: 'succeeded' | 'failed' | 'unknown';
  exitCode: number | null;
  durationMs: number | null;
  /** First line of an error (bounded), or null. */
  error: string | null;
  /** The exact text hashed for `output_sha256`. */
  canonical: string;
}

const EXIT_RE = /(?:Exit code|Process exited with code)[:\s]+(-?\d+)/i;
const WALL_RE = /Wall time[:\s]+([\d.]+)\s*(ms|s|seconds)?/i;

function firstLine(text: string): string | null {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '');
  return line === undefined ? null : line.slice(0, 300);
}

/**
 * Summarize Codex's `tool_response`: a string for Bash/apply_patch (exit code and wall time parsed
 * when present), `{content, isError}` for MCP.
 */
export function summarizeToolResponse(response: unknown): ToolResponseSummary {
  if (typeof response === 'string') {
    const exit = EXIT_RE.exec(response);
    const exitCode = exit ? Number(exit[1]) : null;
    const wall = WALL_RE.exec(response);
    const durationMs = wall ? Math.round(Number(wall[1]) * (wall[2] === 'ms' ? 1 : 1000)) : null;
    const outputStart = response.indexOf('Output:');
    const failed = exitCode !== null ? exitCode !== 0 : /^(error|failed|apply_patch verification failed)/i.test(response.trim());
    return {
      status: exitCode === null && !failed ? 'unknown' : failed ? 'failed' : 'succeeded',
      exitCode,
      durationMs,
      error: failed ? firstLine(outputStart >= 0 ? response.slice(outputStart + 7) : response) : null,
      canonical: response,
    };
  }
  if (response !== null && typeof response === 'object') {
    const r = response as { isError?: unknown; is_error?: unknown; content?: unknown };
    const isError = r.isError === true || r.is_error === true;
    let errorText: string | null = null;
    if (isError && Array.isArray(r.content)) {
      const text = r.content.find((c): c is { text: string } => typeof (c as { text?: unknown })?.text === 'string');
      errorText = text ? firstLine(text.text) : 'tool reported an error';
    }
    return { status: isError ? 'failed' : 'succeeded', exitCode: null, durationMs: null, error: errorText, canonical: JSON.stringify(response) };
  }
  return { status: 'unknown', exitCode: null, durationMs: null, error: null, canonical: JSON.stringify(response ?? null) };
}

/**
 * The outcome a receipt records for a finished tool call: status, exit code, the duration (from the
 * PreToolUse that started it when known, else what the response says), a redacted error line, the
 * output's hash, and the kinds and hashes of secrets withheld from the model. Never the output itself.
 */
export function outcomeOf(toolResponse: unknown, at: number, startedAt: number | null, withheld: Outcome['withheld'] = []): Outcome {
  const summary = summarizeToolResponse(toolResponse);
  return {
    status: summary.status,
    exit_code: summary.exitCode,
    duration_ms: startedAt !== null ? Math.max(0, at - startedAt) : summary.durationMs,
    error: summary.error === null ? null : redactText(summary.error),
    output_sha256: `sha256:${createHash('sha256').update(summary.canonical, 'utf8').digest('hex')}`,
    ...(withheld && withheld.length > 0 ? { withheld } : {}),
  };
}
