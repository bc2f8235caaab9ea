/**
 * The policy file format (`~/.vaibot/policy.yaml`, and a project's `.vaibot/policy.yaml`), as a
 * zod/mini schema: the hook path loads it, so it stays on the small zod build. docs/policy.md
 * documents every field.
 */
import * as z from 'zod/mini';
import { RISK_LEVELS } from '../risk/riskLevel.js';
import { POLICY_ACTIONS } from './policyAction.js';

const stringOrList = z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]);
const riskLevel = z.enum(RISK_LEVELS);
const action = z.enum(POLICY_ACTIONS);

/** What a rule matches: every field given must match (fields are ANDed, list entries ORed). */
export const policyMatchSchema = z.strictObject({
  /** Tool name globs: `Bash`, `apply_patch`, `mcp__github__*`. */
  tool: z.optional(stringOrList),
  /** Programs run anywhere in a shell command, after unwrapping (`docker`, `git`, `python*`). */
  program: z.optional(stringOrList),
  /** Regular expression on the arguments (joined by spaces) of a matching `program`. */
  args: z.optional(z.string()),
  /** Regular expression on the whole command text (shell) or patch text. */
  command: z.optional(z.string()),
  /** Globs on paths the call touches (`~` allowed; `*` within a segment, `**` across segments). */
  path: z.optional(stringOrList),
  /** Restrict `path` to one kind of access. */
  access: z.optional(z.enum(['read', 'write', 'delete', 'exec'])),
  /** Minimum risk level. */
  risk: z.optional(riskLevel),
  /** Globs on classifier rule ids (`net.*`, `vcs.force-push`). */
  ruleId: z.optional(stringOrList),
  /** Classifier rule categories (`network`, `secrets`). */
  category: z.optional(stringOrList),
});

/** One policy rule. */
export const policyRuleSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.regex(/^[A-Za-z0-9._:-]+$/)),
  description: z.optional(z.string()),
  action,
  match: policyMatchSchema,
  /** For `allow` rules: the highest risk level the rule may allow (default `high`; never self-protection). */
  upTo: z.optional(riskLevel),
});

/** The whole policy file. */
export const policyFileSchema = z.strictObject({
  version: z.literal(1),
  escalation: z.optional(
    z.strictObject({
      none: z.optional(action),
      low: z.optional(action),
      medium: z.optional(action),
      high: z.optional(action),
      dangerous: z.optional(action),
    }),
  ),
  rules: z.optional(z.array(policyRuleSchema)),
  /** What the model may see of tool output: `secrets: withhold|allow`; `unscanned: withhold|pass` for output past the scan bound. */
  outputs: z.optional(z.strictObject({ secrets: z.optional(z.enum(['withhold', 'allow'])), unscanned: z.optional(z.enum(['withhold', 'pass'])) })),
});

/** A policy file as written. */
export type PolicyFile = z.infer<typeof policyFileSchema>;
/** A policy rule as written. */
export type PolicyRule = z.infer<typeof policyRuleSchema>;
/** A rule's match block. */
export type PolicyMatch = z.infer<typeof policyMatchSchema>;
