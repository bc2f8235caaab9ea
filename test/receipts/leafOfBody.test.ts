import { describe, expect, it } from 'vitest';
import { leafHashOfBody } from '../../src/receipts/nodeHasher.js';
import { canonicalReceipt, receiptLeafHash } from '../../src/store/sqliteStore.js';
import { sampleReceipt } from './logFixture.js';

describe('checking a stored body against its leaf hash', () => {
  const r = sampleReceipt(7);
  const { body, leafHash } = canonicalReceipt(r);

  it('stores receipts as their canonical JSON, whose hash is the leaf', () => {
    expect(body).not.toBe(JSON.stringify(r)); // keys sorted, so not what JSON.stringify writes
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(r)));
    expect(leafHash).toBe(receiptLeafHash(r));
    expect(leafHashOfBody(body, leafHash).toString('hex')).toBe(leafHash);
  });

  it('still checks bodies stored before (non-canonical JSON) by parsing them', () => {
    expect(leafHashOfBody(JSON.stringify(r), leafHash).toString('hex')).toBe(leafHash);
    expect(leafHashOfBody(JSON.stringify(r)).toString('hex')).toBe(leafHash);
  });

  it('an edited body never matches, canonical or not', () => {
    const edited = body.replace('"decision":"allow"', '"decision":"deny"');
    expect(edited).not.toBe(body);
    expect(leafHashOfBody(edited, leafHash).toString('hex')).not.toBe(leafHash);
    const reordered = JSON.stringify({ ...JSON.parse(body), decision: 'deny' });
    expect(leafHashOfBody(reordered, leafHash).toString('hex')).not.toBe(leafHash);
  });
});
