import * as z from 'zod/mini';

/** The hook events we register for. */
export const HOOK_EVENTS = ['SessionStart', 'PreToolUse', 'PermissionRequest', 'PostToolUse', 'Stop'] as const;
/** One of the hook events we register for. */
export type HookEventName = (typeof HOOK_EVENTS)[number];

const common = {
  session_id: z.string(),
  cwd: z.string().check(z.minLength(1)),
  hook_event_name: z.string(),
  turn_id: z.optional(z.string()),
  transcript_path: z.optional(z.nullable(z.string())),
  model: z.optional(z.string()),
  permission_mode: z.optional(z.string()),
  agent_id: z.optional(z.string()),
  agent_type: z.optional(z.string()),
};

/** SessionStart stdin. Unknown fields are accepted (Codex adds fields over time). */
export const sessionStartInput = z.looseObject({ ...common, source: z.optional(z.string()) });
/** PreToolUse stdin. */
export const preToolUseInput = z.looseObject({
  ...common,
  tool_name: z.string().check(z.minLength(1)),
  tool_input: z.unknown(),
  tool_use_id: z.optional(z.string()),
});
/** PostToolUse stdin: PreToolUse's fields plus the tool's response. */
export const postToolUseInput = z.looseObject({
  ...common,
  tool_name: z.string().check(z.minLength(1)),
  tool_input: z.unknown(),
  tool_use_id: z.optional(z.string()),
  tool_response: z.unknown(),
});
/** PermissionRequest stdin (no tool_use_id). */
export const permissionRequestInput = z.looseObject({
  ...common,
  tool_name: z.string().check(z.minLength(1)),
  tool_input: z.unknown(),
});
/** Stop stdin. */
export const stopInput = z.looseObject({
  ...common,
  stop_hook_active: z.optional(z.boolean()),
  last_assistant_message: z.optional(z.nullable(z.string())),
});

/** Parsed SessionStart input. */
export type SessionStartInput = z.infer<typeof sessionStartInput>;
/** Parsed PreToolUse input. */
export type PreToolUseInput = z.infer<typeof preToolUseInput>;
/** Parsed PostToolUse input. */
export type PostToolUseInput = z.infer<typeof postToolUseInput>;
/** Parsed PermissionRequest input. */
export type PermissionRequestInput = z.infer<typeof permissionRequestInput>;
/** Parsed Stop input. */
export type StopInput = z.infer<typeof stopInput>;

/** The schema for each event's stdin. */
export const INPUT_SCHEMAS = {
  SessionStart: sessionStartInput,
  PreToolUse: preToolUseInput,
  PostToolUse: postToolUseInput,
  PermissionRequest: permissionRequestInput,
  Stop: stopInput,
} as const;

/** Whether a string names one of our hook events. */
export function isHookEvent(name: string): name is HookEventName {
  return (HOOK_EVENTS as readonly string[]).includes(name);
}
