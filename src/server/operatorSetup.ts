import { randomUUID } from 'node:crypto';
import type { ServerStore } from '../serverStore/serverStore.js';
import { KEY_PREFIX, hashSecret, newSecret, secretHint } from './secrets.js';

/** How long a login link stays valid. */
export const LOGIN_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * First `vaibot serve`: when no approver exists, create the operator (every account) and return a
 * one-time login link for them; on later runs return null.
 */
export async function ensureOperator(store: ServerStore, publicUrl: string, at: number): Promise<{ name: string; loginUrl: string } | null> {
  if ((await store.approverCount()) > 0) return null;
  const id = randomUUID();
  try {
    await store.createApprover({ id, name: 'operator', accountId: null, passwordHash: null }, at);
  } catch {
    return null; // another instance created it first
  }
  return { name: 'operator', loginUrl: await loginLink(store, id, publicUrl, at) };
}

/** A new one-time login link for an approver. */
export async function loginLink(store: ServerStore, approverId: string, publicUrl: string, at: number): Promise<string> {
  const token = newSecret('');
  await store.addLoginToken(hashSecret(token), approverId, at + LOGIN_LINK_TTL_MS);
  return `${publicUrl.replace(/\/+$/, '')}/login/${token}`;
}

/** Create an approver token for the CLI (`Authorization: Bearer vb_appr_…`); shown once. */
export async function createApproverToken(store: ServerStore, label: string, accountId: string | null, at: number): Promise<string> {
  const token = newSecret(KEY_PREFIX.approver);
  await store.addKey({ keyHash: hashSecret(token), accountId, kind: 'approver', hint: secretHint(token), label, installId: null }, at);
  return token;
}
