// A second, deliberately separate reading of ../shared/docs/receipt-bundle.md, using only node:crypto
// and JSON built-ins (none of src/receipts), to cross-check what `vaibot export` writes.
import { createHash, createPublicKey, verify } from 'node:crypto';

const sha = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

/** RFC 8785 for values JSON.parse produced: sorted keys (UTF-16 order), JSON.stringify for the rest. */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function b64(s: string, len: number): Buffer {
  const b = Buffer.from(s, 'base64');
  if (b.length !== len || b.toString('base64') !== s) throw new Error(`not canonical base64 of ${len} bytes: ${s}`);
  return b;
}

/** Verify a bundle; returns the spec's summary line or throws with a reason. */
export function independentVerify(text: string, pinnedKey?: string): string {
  const b = JSON.parse(text) as Record<string, unknown>;
  const vkey = pinnedKey ?? (b.log_public_key as string);
  const p1 = vkey.indexOf('+');
  const p2 = vkey.indexOf('+', p1 + 1);
  const name = vkey.slice(0, p1);
  const raw = b64(vkey.slice(p2 + 1), 33);
  if (raw[0] !== 1) throw new Error('not Ed25519');
  const pub = raw.subarray(1);
  const keyId = sha(Buffer.from(name, 'utf8'), Buffer.from([0x0a, 0x01]), pub).subarray(0, 4);
  if (keyId.toString('hex') !== vkey.slice(p1 + 1, p2).toLowerCase()) throw new Error('key ID mismatch');
  const key = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pub]), format: 'der', type: 'spki' });

  const note = b.checkpoint as string;
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new Error('control character in note');
  const split = note.lastIndexOf('\n\n');
  const body = note.slice(0, split + 1);
  const sigs = note.slice(split + 2);
  if (!sigs.endsWith('\n')) throw new Error('note must end with a newline');
  let signed = 0;
  for (const line of sigs.slice(0, -1).split('\n')) {
    if (!line.startsWith('\u2014 ')) throw new Error('signature line without em dash');
    const [n, s, extra] = line.slice(2).split(' ');
    if (!n || !s || extra !== undefined) throw new Error('malformed signature line');
    const blob = Buffer.from(s, 'base64');
    if (blob.toString('base64') !== s || blob.length < 5) throw new Error('malformed signature blob');
    if (n === name && blob.subarray(0, 4).equals(keyId)) {
      if (!verify(null, Buffer.from(body, 'utf8'), key, blob.subarray(4))) throw new Error('invalid signature by the trusted key');
      signed++;
    }
  }
  if (signed === 0) throw new Error('no signature by the trusted key');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) throw new Error('bad checkpoint body');
  if (lines[0] !== name) throw new Error('origin is not the key name');
  if (!/^(0|[1-9]\d*)$/.test(lines[1] as string)) throw new Error('bad size');
  const size = BigInt(lines[1] as string);
  const root = b64(lines[2] as string, 32);
  const treeSize = b.tree_size as number;
  const index = b.leaf_index as number;
  if (!Number.isInteger(treeSize) || BigInt(treeSize) !== size) throw new Error('tree_size differs from the checkpoint');
  if (!Number.isInteger(index) || index < 0 || index >= treeSize) throw new Error('bad leaf_index');

  let r = sha(Buffer.from([0]), Buffer.from(jcs(b.receipt), 'utf8'));
  let fn = BigInt(index);
  let sn = BigInt(treeSize) - 1n;
  for (const p of b.inclusion_proof as string[]) {
    const h = b64(p, 32);
    if (sn === 0n) throw new Error('proof too long');
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha(Buffer.from([1]), h, r);
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = sha(Buffer.from([1]), r, h);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n || !r.equals(root)) throw new Error('inclusion proof does not lead to the root');
  return `ok tree_size=${treeSize} leaf_index=${index} root=${lines[2]}`;
}
