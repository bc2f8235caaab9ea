import type { Settings } from '../config/settings.js';
import type { Intent } from '../intent/intent.js';
import { classify } from '../risk/classify.js';
import { DEFAULT_POLICY, evaluate, invalidPolicyDecision, loadPolicy, userPolicyFile, type LoadPolicyResult, type Policy } from '../policy/index.js';
import { codexHome, userHome } from '../state/paths.js';
import type { DecisionEngine, EngineVerdict } from './decisionEngine.js';

/** What {@link engineFor} needs: where home, VAIBot's and Codex's state are, and the loaded policy. */
export interface EngineContext {
  home: string;
  vaibotHome: string;
  codexHome: string;
  policy: LoadPolicyResult;
}

/**
 * The decision engine for a loaded policy: classify on a real shell parse, then evaluate the policy.
 * An invalid policy denies every call, naming the file, line and error. A tool VAIBot does not know
 * is denied unless a policy rule allows it by name (fail closed on what cannot be judged).
 */
export function engineFor(ctx: EngineContext): DecisionEngine {
  const policyFiles = ctx.policy.ok ? ctx.policy.policy.files : [ctx.policy.file];
  const protectedPaths = [...new Set([userPolicyFile(ctx.vaibotHome), ...policyFiles])];
  const engine: DecisionEngine = (intent: Intent, sessionWrites: ReadonlyMap<string, string>): EngineVerdict => {
    const risk = classify(intent, { home: ctx.home, vaibotHome: ctx.vaibotHome, codexHome: ctx.codexHome, protectedPaths, sessionWrites });
    if (!ctx.policy.ok) {
      const d = invalidPolicyDecision(ctx.policy, risk.level);
      return { action: 'deny', reason: d.reason, ruleIds: d.ruleIds, risk, basis: 'policy_invalid' };
    }
    const d = evaluate(intent, risk, ctx.policy.policy);
    if (intent.body.kind === 'unknown' && d.action === 'allow' && !d.ruleIds.some((id) => id.startsWith('policy:'))) {
      return {
        action: 'deny',
        reason: `VAIBot does not know the tool ${intent.tool} and cannot judge what it does; a policy rule for tool ${intent.tool} can allow it`,
        ruleIds: [...d.ruleIds, 'tool.unknown'],
        risk,
        basis: 'policy',
      };
    }
    return { action: d.action, reason: d.reason, ruleIds: d.ruleIds, risk, basis: 'policy' };
  };
  // An invalid policy cannot loosen anything: output stays withheld.
  engine.secretsInOutput = ctx.policy.ok ? ctx.policy.policy.outputs?.secrets ?? 'withhold' : 'withhold';
  engine.unscannedOutput = ctx.policy.ok ? ctx.policy.policy.outputs?.unscanned ?? 'withhold' : 'withhold';
  return engine;
}

/** Load the user's (and the project's) policy for a call in `cwd` and build the engine. */
export async function loadDefaultEngine(settings: Settings, env: NodeJS.ProcessEnv, cwd: string): Promise<DecisionEngine> {
  const home = userHome(env);
  const policy = await loadPolicy({ vaibotHome: settings.home, cwd, home });
  return engineFor({ home, vaibotHome: settings.home, codexHome: codexHome(env), policy });
}

/**
 * The engine for an already loaded policy (the server loads its policy once at start with
 * `loadPolicy` and passes it here); without one, the built-in default policy.
 */
export function defaultEngine(settings: Settings, env: NodeJS.ProcessEnv, policy: LoadPolicyResult = { ok: true, policy: DEFAULT_POLICY, warnings: [] }): DecisionEngine {
  return engineFor({ home: userHome(env), vaibotHome: settings.home, codexHome: codexHome(env), policy });
}

/** The loaded policy itself (for `vaibot policy` and the MCP `policy` tool). */
export type { Policy };
