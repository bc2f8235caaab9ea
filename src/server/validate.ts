import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './apiError.js';

function firstIssue(err: z.ZodError): { field: string; message: string } {
  const issue = err.issues[0];
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : '(body)';
  return { field, message: `${field}: ${issue?.message ?? 'invalid'}` };
}

/** Validate a value with zod; a failure is a 400 naming the first bad field. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const { field, message } = firstIssue(r.error);
    throw new ApiError('bad_request', message, field);
  }
  return r.data;
}

/** Read and validate a JSON body (400 on malformed JSON or a bad field). */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, optional = false): Promise<z.infer<S>> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (optional) return validate(schema, {});
    throw new ApiError('bad_request', 'a JSON body is required', '(body)');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'the body is not valid JSON', '(body)');
  }
  return validate(schema, value);
}
