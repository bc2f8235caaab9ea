import * as z from 'zod';

/** Output schema of the hook state (see hookState/checkHookState.ts). */
export const hookStateSchema = z.object({
  state: z.enum(['on', 'off', 'unknown']),
  checkedAt: z.string(),
  plugin: z.object({ id: z.string(), version: z.string(), installedPath: z.string(), codexHome: z.string() }).nullable(),
  checks: z.array(z.enum(['command-line', 'config', 'app-server'])),
  problems: z.array(z.object({ code: z.string(), message: z.string(), fix: z.string() })),
  note: z.string().nullable(),
});
