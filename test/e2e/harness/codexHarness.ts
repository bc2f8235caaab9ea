import { addMarketplace, addPlugin, listHooks, readMarketplace, runCodex, trustPluginHooks } from '../../../src/codexctl/index.js';
import type { HookInfo, PluginAddResult, TrustResult } from '../../../src/codexctl/index.js';
import { FAKE_MODEL_API_KEY_ENV, startFakeModel, writeFakeModelConfig } from '../../../src/fakeModel/index.js';
import type { FakeModelServer, FakeScript, RecordedRequest, ToolOutput } from '../../../src/fakeModel/index.js';
import { toolOutputsOf } from '../../../src/fakeModel/index.js';
import { makeTempLayout, type TempLayout } from './tempLayout.js';

/** Options of {@link createCodexHarness}. */
export interface CodexHarnessOptions {
  /** The marketplace root to install from: this repo's root, or a stand-in from createStandinRepo. */
  root: string;
  /** Plugin to install (default: the marketplace's first plugin). */
  plugin?: string;
  /** Extra environment for every codex run (e.g. `{ VAIBOT_MODE: 'enforce' }`). */
  env?: Record<string, string>;
  /** Trust the plugin's hooks through the app-server after installing (default true). */
  trust?: boolean;
  /** Deadline for each codex command other than exec (default 30 s). */
  timeoutMs?: number;
}

/** Options of one {@link CodexHarness.exec}. */
export interface ExecOptions {
  /** Environment for this run on top of the harness's. */
  env?: Record<string, string>;
  /** The user prompt (default `go`). */
  prompt?: string;
  /** Deadline (default 90 s); past it codex and its children are killed and the run throws. */
  timeoutMs?: number;
  /** Working directory (default: the harness workspace). */
  cwd?: string;
  /** Extra `codex exec` flags (e.g. `['--disable', 'hooks']`). */
  extraArgs?: string[];
}

/** What one `codex exec` run did. */
export interface ExecRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The `--json` event stream (thread.started, item.completed, turn.completed, …). */
  events: Record<string, unknown>[];
  /** What the model was told for each call id in this run (`function_call_output` / `custom_tool_call_output`). */
  outputs: Map<string, ToolOutput>;
  /** The model-visible output of `callId`; throws when Codex reported none (the call never completed). */
  output(callId: string): string;
  /** The model requests of this run. */
  requests: RecordedRequest[];
  durationMs: number;
}

/** A temporary HOME + CODEX_HOME with the plugin installed and a fake model, ready for `codex exec`. */
export interface CodexHarness {
  readonly dirs: TempLayout;
  /** `<plugin>@<market>`. */
  readonly pluginId: string;
  readonly install: PluginAddResult;
  /** The trust step's result (undefined when `trust: false`). */
  readonly trust: TrustResult | undefined;
  readonly model: FakeModelServer;
  /** The environment codex runs with (HOME, CODEX_HOME, VAIBOT_HOME, the fake key, options.env, extra). */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Runs `codex exec --skip-git-repo-check --json <prompt> </dev/null` with `script` as the model. */
  exec(script: FakeScript, options?: ExecOptions): Promise<ExecRun>;
  /** `hooks/list` for the workspace. */
  hooks(): Promise<HookInfo[]>;
  /** Trusts the plugin's hooks again (after an intentional change). */
  retrust(): Promise<TrustResult>;
  /** Stops the model and deletes the temporary directories. */
  close(): Promise<void>;
}

/** Variables of the host that must not leak into an isolated codex run. */
const SCRUBBED = /^(CODEX_|VAIBOT_|OPENAI_|AZURE_OPENAI|FAKE_OPENAI)/;

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!SCRUBBED.test(key)) env[key] = value;
  return env;
}

/**
 * Builds an isolated Codex installation: temp HOME and CODEX_HOME, a fake model on 127.0.0.1 written
 * into config.toml, the plugin added through Codex's own marketplace commands from `root`, and its hooks
 * trusted through `codex app-server` (as a user would with `vaibot install`). Every wait is bounded.
 */
export async function createCodexHarness(options: CodexHarnessOptions): Promise<CodexHarness> {
  const dirs = await makeTempLayout();
  let model: FakeModelServer | undefined;
  try {
    model = await startFakeModel([]);
    await writeFakeModelConfig(dirs.codexHome, model.port);
    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      ...baseEnv(),
      HOME: dirs.home,
      CODEX_HOME: dirs.codexHome,
      VAIBOT_HOME: dirs.vaibotHome,
      [FAKE_MODEL_API_KEY_ENV]: 'fake-key',
      ...options.env,
      ...extra,
    });
    const ctx = { codexHome: dirs.codexHome, home: dirs.home, cwd: dirs.workspace, env: env(), timeoutMs: options.timeoutMs ?? 30_000 };
    const manifest = await readMarketplace(options.root);
    const plugin = options.plugin ?? manifest.plugins[0]?.name;
    if (plugin === undefined) throw new Error(`marketplace at ${options.root} lists no plugin`);
    const market = (await addMarketplace(options.root, ctx)).marketplaceName;
    const pluginId = `${plugin}@${market}`;
    const install = await addPlugin(pluginId, ctx);
    const trust = options.trust === false ? undefined : await trustPluginHooks(pluginId, ctx);
    const server = model;

    return {
      dirs,
      pluginId,
      install,
      trust,
      model: server,
      env,
      async exec(script, execOptions = {}) {
        server.setScript(script);
        const first = server.requests.length;
        const args = ['exec', '--skip-git-repo-check', '--json', ...(execOptions.extraArgs ?? []), execOptions.prompt ?? 'go'];
        const result = await runCodex(args, {
          codexHome: dirs.codexHome,
          home: dirs.home,
          cwd: execOptions.cwd ?? dirs.workspace,
          env: env(execOptions.env),
          timeoutMs: execOptions.timeoutMs ?? 90_000,
        });
        const requests = server.requests.slice(first);
        const outputs = new Map<string, ToolOutput>();
        for (const request of requests) for (const [id, out] of toolOutputsOf(request.body)) outputs.set(id, out);
        const events: Record<string, unknown>[] = [];
        for (const line of result.stdout.split('\n')) {
          if (line.trim() === '') continue;
          try {
            events.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // codex prints only JSON lines with --json; ignore anything else
          }
        }
        return {
          exitCode: result.exitCode,
          stdout: result.stdout,
          stderr: result.stderr,
          events,
          outputs,
          output(callId: string) {
            const out = outputs.get(callId);
            if (out === undefined) {
              throw new Error(`codex reported no output for ${callId} (got: ${[...outputs.keys()].join(', ') || 'none'}); stderr: ${result.stderr.slice(-1500)}`);
            }
            return out.output;
          },
          requests,
          durationMs: result.durationMs,
        };
      },
      hooks() {
        return listHooks({ ...ctx, cwds: [dirs.workspace] });
      },
      retrust() {
        return trustPluginHooks(pluginId, ctx);
      },
      async close() {
        await server.close();
        await dirs.cleanup();
      },
    };
  } catch (error) {
    await model?.close();
    await dirs.cleanup();
    throw error;
  }
}
