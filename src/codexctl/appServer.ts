import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolveCodexBin } from './codexBin.js';
import { CodexCtlError } from './errors.js';
import { codexEnv, killGroup } from './runCodex.js';

/** Where the app-server runs and how long it may take. */
export interface AppServerOptions {
  codexHome: string;
  home?: string;
  /** Working directory of the server; `hooks/list` without `cwds` inspects this one. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Deadline for each request, the initialize handshake included (default 20 s). */
  timeoutMs?: number;
  /** Name and version announced in `initialize` (`clientInfo`). */
  clientName?: string;
  clientVersion?: string;
}

/** A JSON-RPC error object as the app-server sends it. */
export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/** A notification the server sent (`{method, params}` without id). */
export interface RpcNotification {
  method: string;
  params?: unknown;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_NOTIFICATIONS = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A client for `codex app-server` (JSON-RPC 2.0 without the `jsonrpc` field, one JSON object per line
 * over stdio). {@link AppServerClient.start} spawns the server and performs the handshake
 * (`initialize` request, then the `initialized` notification). Requests the server sends us (approval
 * prompts) are answered with "method not found"; notifications are kept (the last 200).
 */
export class AppServerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrTail = '';
  private exited = false;
  /** Notifications received so far (bounded). */
  readonly notifications: RpcNotification[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly timeoutMs: number,
  ) {
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    child.stdin?.on('error', () => undefined);
    child.on('close', (code, signal) => {
      this.exited = true;
      const error = new CodexCtlError('rpc_closed', `codex app-server exited (${code ?? signal})`, {
        stderr: this.stderrTail.trim(),
        exitCode: code,
      });
      for (const [, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.reject(error);
      }
      this.pending.clear();
    });
  }

  /** Spawns `codex app-server` and completes the initialize handshake. */
  static async start(options: AppServerOptions): Promise<AppServerClient> {
    const env = codexEnv(options);
    const bin = resolveCodexBin(env);
    const child = spawn(bin.command, [...bin.prefixArgs, 'app-server'], {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const client = new AppServerClient(child, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const spawned = new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) =>
        reject(new CodexCtlError('codex_not_found', `could not start codex app-server: ${error.message}`, { cause: error })),
      );
    });
    try {
      await spawned;
      await client.request('initialize', {
        clientInfo: { name: options.clientName ?? 'vaibot', title: null, version: options.clientVersion ?? '0.0.0' },
        capabilities: null,
      });
      client.notify('initialized');
    } catch (error) {
      await client.close();
      throw error;
    }
    return client;
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return; // not protocol output
    }
    if (!isRecord(message)) return;
    const hasId = typeof message.id === 'number' || typeof message.id === 'string';
    if (typeof message.method === 'string') {
      if (hasId) {
        this.send({ id: message.id, error: { code: -32601, message: 'vaibot does not handle server requests' } });
      } else {
        this.notifications.push({ method: message.method, params: message.params });
        if (this.notifications.length > MAX_NOTIFICATIONS) this.notifications.shift();
      }
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (isRecord(message.error)) {
      const body = message.error as unknown as RpcErrorBody;
      pending.reject(
        Object.assign(new CodexCtlError('rpc_error', `codex app-server: ${String(body.message)}`), { rpc: body }),
      );
    } else {
      pending.resolve(message.result);
    }
  }

  private send(message: Record<string, unknown>): void {
    this.child.stdin?.write(JSON.stringify(message) + '\n');
  }

  /** Sends a notification (no answer expected). */
  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /**
   * Sends a request and waits for its result. Rejects with `rpc_error` (the server's error is on
   * `.rpc`), `rpc_timeout` past the deadline, or `rpc_closed` if the server goes away.
   */
  request(method: string, params: unknown, timeoutMs: number = this.timeoutMs): Promise<unknown> {
    if (this.exited) {
      return Promise.reject(
        new CodexCtlError('rpc_closed', 'codex app-server is not running', { stderr: this.stderrTail.trim() }),
      );
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CodexCtlError('rpc_timeout', `codex app-server did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send({ id, method, params });
    });
  }

  /** Closes stdin, gives the server a moment to exit, then kills its process group. */
  async close(graceMs = 2000): Promise<void> {
    if (this.exited) return;
    let giveUp: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      this.child.once('close', () => resolve());
      giveUp = setTimeout(resolve, graceMs + 2000); // never hang on a process that will not report
    });
    this.child.stdin?.end();
    const timer = setTimeout(() => killGroup(this.child.pid), graceMs);
    await exited;
    clearTimeout(timer);
    clearTimeout(giveUp);
  }
}

/** Runs `fn` with a started app-server and always closes it afterwards. */
export async function withAppServer<T>(options: AppServerOptions, fn: (client: AppServerClient) => Promise<T>): Promise<T> {
  const client = await AppServerClient.start(options);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
