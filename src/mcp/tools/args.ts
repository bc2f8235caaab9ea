import * as z from 'zod';

const HASH_RE = /^sha256:[0-9a-f]{64}$/;

/** The `hash` argument: a content hash exactly as VAIBot prints it. Errors name the argument. */
export const contentHashArg = z
  .string({ error: '`hash` is required: the content hash of the action (sha256:<64 lowercase hex>), from a VAIBot block message or the `pending` tool' })
  .regex(HASH_RE, { error: '`hash` must be a content hash like sha256:<64 lowercase hex> (copy it whole from a VAIBot block message or the `pending` tool)' })
  .describe('The content hash of one exact action, `sha256:` + 64 lowercase hex digits, as VAIBot printed it');

/** A `limit` argument between 1 and `max`. */
export function limitArg(def: number, max: number) {
  return z
    .number({ error: `\`limit\` must be a whole number from 1 to ${max}` })
    .int({ error: `\`limit\` must be a whole number from 1 to ${max}` })
    .min(1, { error: `\`limit\` must be at least 1` })
    .max(max, { error: `\`limit\` must be at most ${max}` })
    .default(def)
    .describe(`How many to return (1-${max}, default ${def})`);
}

/** The Codex session id of the current call, from the `_meta` Codex attaches to every tools/call (null if absent). */
export function codexSessionId(meta: Record<string, unknown> | undefined): string | null {
  const turn = meta?.['x-codex-turn-metadata'];
  if (typeof turn === 'object' && turn !== null) {
    const id = (turn as Record<string, unknown>).session_id;
    if (typeof id === 'string' && id !== '') return id;
  }
  const id = meta?.sessionId;
  return typeof id === 'string' && id !== '' ? id : null;
}
