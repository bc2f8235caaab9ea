import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describeHookState } from './hookState/describeHookState.js';
import type { HookState } from './hookState/hookState.js';
import { hookStateFingerprint, readCachedHookState, writeCachedHookState } from './hookState/hookStateCache.js';
import { parentCodex, type ParentCodex } from './hookState/parentCodex.js';
import { pluginLocation } from './hookState/pluginLocation.js';
import { quickHookState } from './hookState/quickHookState.js';
import { negotiateProtocolVersion } from './protocolVersions.js';
import { SERVER_CAPABILITIES, SERVER_INFO } from './serverIdentity.js';
import { serverInstructions } from './serverInstructions.js';
import { TOOL_LISTING } from './toolListing.js';
import type { FullServerOptions } from './fullServer.js';

/** How long the `status` tool waits for the full hook check (codex app-server) still running. */
export const HOOK_CHECK_STATUS_WAIT_MS = 6000;
/** Start the full hook check this long after `initialize` at the latest (earlier once tools/list is answered). */
export const HOOK_CHECK_DELAY_MS = 300;
/** The longest line accepted from the client (a bigger one is answered with a parse error and dropped). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/** What the entry point hands the front; all of it replaceable in tests. */
export interface StdioFrontOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: Readable;
  stdout: Writable;
  log: (line: string) => void;
  /** The codex process that started us (default: read from /proc). */
  parent?: ParentCodex | null;
  /** Replaces the full hook check (tests). */
  fullHookCheck?: () => Promise<HookState>;
  policy?: FullServerOptions['policy'];
  verifier?: FullServerOptions['verifier'];
}

type Id = string | number;
type Incoming = { jsonrpc?: string; id?: Id; method?: string; params?: Record<string, unknown> };

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
 * Serve MCP on stdio with a fast start. Codex lists a server's tools and shows the model its
 * instructions only if `initialize` is answered quickly, and loading the SDK (zod schemas, ajv) takes
 * longer than that on a busy machine. So this front answers `initialize` (instructions from the cheap
 * hook checks or the cached full check), `tools/list` (a listing generated from the SDK server and kept
 * equal to it by a test) and `ping` itself; the first other message loads the SDK server, replays the
 * handshake into it, and from then on every message goes to it, in order. Resolves when stdin ends.
 */
export async function serveStdioFront(o: StdioFrontOptions): Promise<void> {
  const started = Date.now();
  const parent = o.parent === undefined ? parentCodex() : o.parent;
  const loc = pluginLocation(o.cwd);
  const quick = await quickHookState({ cwd: o.cwd, parent });
  const fingerprint = loc !== null && quick.state !== 'off' ? hookStateFingerprint(loc, parent) : null;
  const cached = loc !== null && fingerprint !== null ? readCachedHookState(loc, fingerprint) : null;
  const initial = cached ?? quick;
  const basis: 'live' | 'cached' = cached ? 'cached' : 'live';

  // The full check (codex app-server, ~0.3-0.5 s): started once the handshake is answered.
  let startCheck: () => void = () => undefined;
  const full: Promise<HookState> =
    quick.state === 'off' || loc === null
      ? Promise.resolve(quick)
      : new Promise<void>((resolve) => {
          startCheck = resolve;
        })
          .then(() => (o.fullHookCheck ?? (async () => (await import('./hookState/checkHookState.js')).checkHookState({ cwd: o.cwd, env: o.env, parent })))())
          .then((s) => {
            if (fingerprint !== null && loc !== null) writeCachedHookState(loc, fingerprint, s);
            return s;
          })
          .catch((err: unknown): HookState => ({ ...quick, note: `the hook check failed: ${err instanceof Error ? err.message : String(err)}` }));
  void full.then((s) => {
    if (s.state !== 'on') o.log(`VAIBot: ${describeHookState(s)}`);
  });
  const hookState = async (): Promise<HookState> => {
    startCheck();
    const s = await bounded(full, Math.max(1000, HOOK_CHECK_STATUS_WAIT_MS - (Date.now() - started)));
    return s ?? { ...quick, note: 'the trust check (codex app-server) has not answered yet; ask again in a moment, or run `vaibot doctor`' };
  };

  const write = (message: unknown): void => {
    o.stdout.write(`${JSON.stringify(message)}\n`);
  };
  let initializeRequest: (JSONRPCMessage & { id: Id }) | null = null;
  let initialized = false;
  let deliver: ((m: JSONRPCMessage) => void) | null = null;
  let loading: Promise<(m: JSONRPCMessage) => void> | null = null;
  let queue: Promise<void> = Promise.resolve();

  const handOver = (): Promise<(m: JSONRPCMessage) => void> => {
    loading ??= import('./fullServer.js').then((m) =>
      m.startFullServer({
        env: o.env,
        log: o.log,
        initial,
        basis,
        hookState,
        write: (message) => write(message),
        initialize: initializeRequest ?? { jsonrpc: '2.0', id: '__vaibot_implicit_init__', method: 'initialize', params: { protocolVersion: negotiateProtocolVersion(undefined), capabilities: {}, clientInfo: { name: 'unknown', version: '0' } } },
        initialized,
        ...(o.policy ? { policy: o.policy } : {}),
        ...(o.verifier ? { verifier: o.verifier } : {}),
      }),
    );
    return loading;
  };

  const handle = (msg: Incoming): void => {
    if (deliver === null && loading === null) {
      if (msg.method === 'initialize' && msg.id !== undefined && initializeRequest === null) {
        initializeRequest = msg as JSONRPCMessage & { id: Id };
        write({
          jsonrpc: '2.0',
          id: msg.id,
          result: {
            protocolVersion: negotiateProtocolVersion(msg.params?.protocolVersion),
            capabilities: SERVER_CAPABILITIES,
            serverInfo: SERVER_INFO,
            instructions: serverInstructions(initial, basis),
          },
        });
        setTimeout(() => startCheck(), HOOK_CHECK_DELAY_MS).unref();
        return;
      }
      if (msg.method === 'notifications/initialized' && msg.id === undefined) {
        initialized = true;
        return;
      }
      if (msg.method === 'tools/list' && msg.id !== undefined && initializeRequest !== null && msg.params?.cursor === undefined) {
        write({ jsonrpc: '2.0', id: msg.id, result: { tools: TOOL_LISTING } });
        startCheck();
        return;
      }
      if (msg.method === 'ping' && msg.id !== undefined) {
        write({ jsonrpc: '2.0', id: msg.id, result: {} });
        return;
      }
      if (msg.method?.startsWith('notifications/') && msg.id === undefined) return;
    }
    queue = queue
      .then(async () => {
        deliver ??= await handOver();
        deliver(msg as JSONRPCMessage);
      })
      .catch((err: unknown) => {
        o.log(`vaibot mcp: cannot serve ${msg.method ?? 'a message'}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        if (msg.id !== undefined && msg.method !== undefined) write({ jsonrpc: '2.0', id: msg.id, error: { code: -32603, message: `VAIBot's MCP server could not start its tools: ${err instanceof Error ? err.message : String(err)}` } });
      });
  };

  let buffer = '';
  const onLine = (line: string): void => {
    if (line.trim() === '') return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: not JSON' } });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      write({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: not a JSON-RPC object' } });
      return;
    }
    handle(msg as Incoming);
  };
  o.stdin.setEncoding('utf8');
  o.stdin.on('data', (chunk: string) => {
    buffer += chunk;
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i).replace(/\r$/, '');
      buffer = buffer.slice(i + 1);
      onLine(line);
    }
    if (buffer.length > MAX_LINE_BYTES) {
      buffer = '';
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: a message longer than ${MAX_LINE_BYTES} bytes` } });
    }
  });
  await new Promise<void>((resolve) => {
    o.stdin.once('end', resolve);
    o.stdin.once('close', resolve);
  });
  await bounded(queue, 5000);
}
