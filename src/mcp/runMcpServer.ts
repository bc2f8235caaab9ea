import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { loadSettings } from '../config/settings.js';
import { agentApprover, elicitationApprover } from './approvers.js';
import { createVaibotMcpServer } from './createVaibotMcpServer.js';
import { checkHookState, describeHookState, type HookState } from './hookState/checkHookState.js';
import { parentCodex } from './hookState/parentCodex.js';
import type { McpContext } from './mcpContext.js';
import { builtinPolicyViewer, type PolicyViewer } from './policyView.js';
import { leafHashVerifier, type ReceiptVerifier } from './receiptVerification.js';

/** How long initialize may wait for the hook check, so `instructions` can say whether governance is on. */
export const HOOK_CHECK_WAIT_MS = 1500;
/** How long the `status` tool waits for a hook check still running. */
export const HOOK_CHECK_STATUS_WAIT_MS = 5000;

/** What the entry point hands the server; all of it replaceable in tests. */
export interface RunMcpServerOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable;
  stdout: Writable;
  stderr: (line: string) => void;
  policy?: PolicyViewer;
  verifier?: ReceiptVerifier;
  /** Replaces the start-up hook check (tests). */
  hookCheck?: () => Promise<HookState>;
}

function bounded<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(null);
      },
    );
  });
}

/**
 * Start the VAIBot MCP server on stdio: check the hook state (bounded), then serve. Resolves once
 * connected; the returned `closed` promise settles when the client goes away (stdin ends).
 */
export async function runMcpServer(options: RunMcpServerOptions): Promise<{ closed: Promise<void>; hookState: Promise<HookState> }> {
  const log = options.stderr;
  const started = Date.now();
  const hookState: Promise<HookState> = (
    options.hookCheck ?? (() => checkHookState({ cwd: options.cwd, env: options.env, parent: parentCodex() }))
  )().catch((err: unknown) => ({
    state: 'unknown' as const,
    checkedAt: new Date().toISOString(),
    plugin: null,
    checks: [],
    problems: [],
    note: `the hook check failed: ${err instanceof Error ? err.message : String(err)}`,
  }));
  void hookState.then((s) => {
    if (s.state === 'off') log(`VAIBot: ${describeHookState(s)}`);
    else if (s.state === 'unknown') log(`VAIBot: ${describeHookState(s)}`);
  });

  const ctx: McpContext = {
    settings: () => loadSettings(options.env),
    now: () => Date.now(),
    log,
    hookState: async () => {
      const s = await bounded(hookState, Math.max(0, HOOK_CHECK_STATUS_WAIT_MS - (Date.now() - started)));
      return (
        s ?? {
          state: 'unknown',
          checkedAt: new Date().toISOString(),
          plugin: null,
          checks: [],
          problems: [],
          note: 'the hook check (codex app-server) is still running; ask again in a moment, or run `vaibot doctor`',
        }
      );
    },
    human: () => elicitationApprover(options.env),
    agent: (sessionId) => agentApprover(sessionId),
    policy: options.policy ?? builtinPolicyViewer,
    verifier: options.verifier ?? leafHashVerifier,
  };

  const initial = await bounded(hookState, HOOK_CHECK_WAIT_MS);
  const server = createVaibotMcpServer(ctx, initial);
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    options.stdin.once('end', () => resolve());
    options.stdin.once('close', () => resolve());
  });
  server.server.onerror = (err) => log(`vaibot mcp: protocol error: ${err.message}`);
  await server.connect(transport);
  return { closed, hookState };
}
