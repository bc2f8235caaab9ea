import { z } from 'zod';
import type { RiskLevel } from '../risk/riskLevel.js';

/**
 * The v2 wire contract (docs/governance-api.md) shared by our server and our remote client.
 * Fields beyond the seed's table are marked "extension"; seed clients may omit them.
 */

/** Risk levels as the v2 API names them (`safe` is our `none`). */
export const WIRE_RISK_LEVELS = ['safe', 'low', 'medium', 'high', 'dangerous'] as const;
/** A risk level on the wire. */
export type WireRiskLevel = (typeof WIRE_RISK_LEVELS)[number];

/** Our risk level -> the wire's. */
export function toWireRisk(level: RiskLevel): WireRiskLevel {
  return level === 'none' ? 'safe' : level;
}

/** The wire's risk level -> ours. */
export function fromWireRisk(level: WireRiskLevel): RiskLevel {
  return level === 'safe' ? 'none' : level;
}

/** `sha256:` + 64 lowercase hex. */
export const contentHashSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256: followed by 64 lowercase hex digits');

const text = (max: number) => z.string().max(max);

/** The full intent body (extension: lets the server hash and classify exactly what the hook saw). */
export const intentBodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('shell'), command: text(1_000_000) }),
  z.object({
    kind: z.literal('patch'),
    patch: text(4_000_000),
    targets: z.array(z.object({
      op: z.enum(['add', 'update', 'delete', 'move']),
      path: text(4096),
      to: text(4096).optional(),
      added: text(4_000_000),
    })).max(10_000),
  }),
  z.object({ kind: z.literal('mcp'), server: text(200), name: text(200), arguments: z.unknown() }),
  z.object({ kind: z.literal('unknown'), input: z.unknown() }),
]);

/** POST /v2/bootstrap */
export const bootstrapRequestSchema = z.object({
  /** Must carry a random install id: at least 32 characters of [A-Za-z0-9_:.-]. */
  fingerprint: z.string().min(32, 'must be at least 32 characters and include a random install id').max(512).regex(/^[A-Za-z0-9_:.\-]+$/, 'may contain only letters, digits and _ : . -'),
  agent: text(100).optional(),
  install_id: text(200).optional(),
});
/** Bootstrap request. */
export type BootstrapRequest = z.infer<typeof bootstrapRequestSchema>;

/** Bootstrap response (api_key only on the call that created the account). */
export const bootstrapResponseSchema = z.object({
  ok: z.boolean().optional(),
  user_id: z.string(),
  bootstrapped: z.boolean(),
  api_key: z.string().optional(),
  api_key_hint: z.string().nullable().optional(),
  claimed: z.boolean().optional(),
  message: z.string().optional(),
  wallet_address: z.string().nullable().optional(),
  wallet_network: z.string().nullable().optional(),
});
/** Bootstrap response. */
export type BootstrapResponse = z.infer<typeof bootstrapResponseSchema>;

/** POST /v2/governance/decide */
export const decideRequestSchema = z.object({
  session_id: text(200).min(1),
  agent_id: text(200).optional(),
  agent_model: text(200).nullable().optional(),
  tool: text(200).min(1),
  workspace_dir: text(4096).optional(),
  intent: z.object({
    command: text(1_000_000).nullable().optional(),
    target: text(4096).nullable().optional(),
    cwd: text(4096).optional(),
    /** extension */
    body: intentBodySchema.optional(),
  }),
  params: z.unknown().optional(),
  approved_content_hash: contentHashSchema.nullable().optional(),
  /** extension: the client's hash; the server rejects a mismatch. */
  content_hash: contentHashSchema.optional(),
  /** extension (default enforce) */
  mode: z.enum(['observe', 'enforce']).optional(),
  /** extension (default PreToolUse) */
  event: z.enum(['PreToolUse', 'PermissionRequest']).optional(),
  /** extension */
  turn_id: text(200).nullable().optional(),
  /** extension */
  tool_use_id: text(200).nullable().optional(),
});
/** Decide request. */
export type DecideRequest = z.infer<typeof decideRequestSchema>;

/** Decide response. */
export const decideResponseSchema = z.object({
  ok: z.literal(true),
  run_id: z.string(),
  receipt_id: z.string(),
  content_hash: z.string(),
  risk: z.object({
    risk: z.enum(WIRE_RISK_LEVELS),
    reason: z.string(),
    /** extension */
    rule_ids: z.array(z.string()).optional(),
    /** extension */
    findings: z.array(z.object({ rule_id: z.string(), category: z.string(), level: z.enum(WIRE_RISK_LEVELS), reason: z.string() })).optional(),
  }),
  decision: z.object({ decision: z.enum(['allow', 'deny', 'approval_required']), reason: z.string() }),
  shadow_decision: z.enum(['allow', 'deny', 'approval_required']),
  previously_approved: z.boolean(),
  previously_denied: z.boolean(),
  /** extension */
  basis: z.string().optional(),
  /** extension */
  approval_state: z.string().nullable().optional(),
});
/** Decide response. */
export type DecideResponse = z.infer<typeof decideResponseSchema>;

/** POST /v2/governance/finalize/:run_id */
export const finalizeRequestSchema = z.object({
  outcome: z.enum(['allowed', 'blocked', 'blocked_until_approved']),
  result: z.object({
    summary: text(2000).nullable().optional(),
    error: text(2000).nullable().optional(),
    duration_ms: z.number().int().min(0).max(1e12).nullable().optional(),
    exit_code: z.number().int().min(-1e9).max(1e9).nullable().optional(),
    /** extension */
    status: z.enum(['succeeded', 'failed', 'unknown']).optional(),
    /** extension */
    output_sha256: contentHashSchema.optional(),
  }).optional(),
  /** extension: the outcome receipt's id, so a replayed upload is stored once. */
  receipt_id: z.string().uuid().optional(),
});
/** Finalize request. */
export type FinalizeWireRequest = z.infer<typeof finalizeRequestSchema>;

/** PATCH /v2/receipts/:hash/approve */
export const approveRequestSchema = z.object({
  /** Needed only when an operator's hash is pending in more than one account. */
  account_id: text(100).optional(),
  scope: z.union([
    z.literal('once'),
    z.literal('session'),
    z.object({ until: z.number().int().positive() }),
  ]).optional(),
  session_id: text(200).optional(),
}).strict();

/** PATCH /v2/receipts/:hash/deny */
export const denyRequestSchema = z.object({
  account_id: text(100).optional(),
  reason: text(500).optional(),
}).strict();

/** GET /v2/receipts query. */
export const receiptsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.coerce.number().int().min(1).optional(),
  decision: z.enum(['allow', 'deny', 'approval_required']).optional(),
  risk_level: z.enum(WIRE_RISK_LEVELS).optional(),
  approval_status: z.enum(['pending', 'blocked_until_approved', 'approved', 'denied', 'consumed', 'expired']).optional(),
  tool: text(200).optional(),
  content_hash: contentHashSchema.optional(),
  kind: z.enum(['decision', 'outcome']).optional(),
  account_id: text(100).optional(),
}).strict();

/** A receipt as uploaded from a client's spool (extension: POST /v2/receipts/batch). */
export const uploadedReceiptSchema = z.object({
  v: z.literal(1),
  id: z.string().uuid(),
  kind: z.enum(['decision', 'outcome']),
  content_hash: contentHashSchema,
  tool: text(200),
  cwd: text(4096),
  intent: z.unknown(),
  risk: z.object({ level: z.enum(['none', 'low', 'medium', 'high', 'dangerous']), rule_ids: z.array(text(200)).max(200), reason: text(2000) }).nullable(),
  decision: z.enum(['allow', 'deny', 'approval_required']).nullable(),
  mode: z.enum(['observe', 'enforce']),
  shadow_decision: z.enum(['allow', 'deny', 'approval_required']).nullable(),
  basis: text(200),
  approval_state: text(100).nullable(),
  session_id: text(200).nullable(),
  turn_id: text(200).nullable(),
  tool_use_id: text(200).nullable(),
  event: text(100),
  agent: z.object({ name: text(200), model: text(200).nullable(), install_id: text(200).nullable() }),
  at: z.string().datetime({ offset: true }),
  follows: z.string().nullable(),
  outcome: z.object({
    status: z.enum(['succeeded', 'failed', 'unknown']),
    exit_code: z.number().int().nullable(),
    duration_ms: z.number().int().min(0).nullable(),
    error: text(2000).nullable(),
    output_sha256: z.string(),
    withheld: z.array(z.object({ kind: z.string(), sha256: z.string() })).optional(),
  }).optional(),
});

/** POST /v2/receipts/batch (extension): receipts decided locally while the server was unreachable. */
export const receiptBatchSchema = z.object({ receipts: z.array(uploadedReceiptSchema).min(1).max(100) });

/** POST /v2/telemetry/breaker (extension): a client's breaker tripped or closed. */
export const breakerReportSchema = z.object({ event: z.enum(['tripped', 'closed']), at: z.number().int().min(0) });

/** The JSON error body of every 4xx/5xx answer. */
export const errorBodySchema = z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });
