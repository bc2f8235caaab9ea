import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';
import { loadSettings } from '../config/settings.js';
import { agentApprover, elicitationApprover } from './approvers.js';
import { createVaibotMcpServer } from './createVaibotMcpServer.js';
import { checkHookState, describeHookState, quickHookState, type HookState } from './hookState/checkHookState.js';
import { hookStateFingerprint, readCachedHookState, writeCachedHookState } from './hookState/hookStateCache.js';
import { parentCodex, type ParentCodex } from './hookState/parentCodex.js';
import { pluginLocation } from './hookState/pluginLocation.js';
import type { McpContext } from './mcpContext.js';
import { builtinPolicyViewer, type PolicyViewer } from './policyView.js';
import { leafHashVerifier, type ReceiptVerifier } from './receiptVerification.js';

/** How long the `status` tool waits for the full hook check (codex app-server) still running. */
export const HOOK_CHECK_STATUS_WAIT_MS = 6000;

/** What the entry point hands the server; all of it replaceable in tests. */
export interface RunMcpServerOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable;
  stdout: Writable;
  stderr: (line: string) => void;
  policy?: PolicyViewer;
  verifier?: ReceiptVerifier;
  /** The codex process that started us (default: read from /proc; tests pass null). */
  parent?: ParentCodex | null;
  /** Replaces the full hook check (tests). */
  fullHookCheck?: () => Promise<HookState>;
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
 * Start the VAIBot MCP server on stdio. Codex builds the model's first prompt without waiting long for
 * MCP servers (an `initialize` answered ~0.5 s late loses the instructions), so the answer cannot wait
 * for `codex app-server`: the instructions come from the cheap checks (command line, config.toml), or,
 * when the plugin files and config are unchanged since the last full check, from that check's cached
 * result. The full check runs in the background; `status` and stderr report it.
 */
export async function runMcpServer(options: RunMcpServerOptions): Promise<{ closed: Promise<void>; hookState: Promise<HookState> }> {
  const log = options.stderr;
  const started = Date.now();
  const parent = options.parent === undefined ? parentCodex() : options.parent;
  const loc = pluginLocation(options.cwd);
  const quick = await quickHookState({ cwd: options.cwd, parent });
  const fingerprint = loc !== null && quick.state !== 'off' ? hookStateFingerprint(loc, parent) : null;
  const cached = loc !== null && fingerprint !== null ? readCachedHookState(loc, fingerprint) : null;

  const full: Promise<HookState> =
    quick.state === 'off' || loc === null
      ? Promise.resolve(quick)
      : (options.fullHookCheck ?? (() => checkHookState({ cwd: options.cwd, env: options.env, parent })))()
          .then((s) => {
            if (fingerprint !== null && loc !== null) writeCachedHookState(loc, fingerprint, s);
            return s;
          })
          .catch((err: unknown): HookState => ({ ...quick, state: quick.state, note: `the hook check failed: ${err instanceof Error ? err.message : String(err)}` }));
  void full.then((s) => {
    if (s.state !== 'on') log(`VAIBot: ${describeHookState(s)}`);
  });

  const ctx: McpContext = {
    settings: () => loadSettings(options.env),
    now: () => Date.now(),
    log,
    hookState: async () => {
      const s = await bounded(full, Math.max(0, HOOK_CHECK_STATUS_WAIT_MS - (Date.now() - started)));
      return s ?? { ...quick, note: 'the trust check (codex app-server) has not answered yet; ask again in a moment, or run `vaibot doctor`' };
    },
    human: () => elicitationApprover(options.env),
    agent: (sessionId) => agentApprover(sessionId),
    policy: options.policy ?? builtinPolicyViewer,
    verifier: options.verifier ?? leafHashVerifier,
  };

  const server = createVaibotMcpServer(ctx, cached ?? quick, cached ? 'cached' : 'live');
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    options.stdin.once('end', () => resolve());
    options.stdin.once('close', () => resolve());
  });
  server.server.onerror = (err) => log(`vaibot mcp: protocol error: ${err.message}`);
  await server.connect(transport);
  return { closed, hookState: full };
}
