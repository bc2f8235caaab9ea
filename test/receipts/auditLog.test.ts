import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { databaseFile } from '../../src/state/paths.js';
import { openSqliteLog, leafHashOfBody } from '../../src/receipts/sqliteLog.js';
import { ensureLogKey } from '../../src/receipts/logKey.js';
import { auditLog, type LogAudit } from '../../src/receipts/auditLog.js';
import { parseVerifierKey } from '../../src/receipts/verifierKey.js';
import { tempHome } from '../helpers/tempHome.js';
import { fillLog } from './logFixture.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

/** A log of 55 receipts with checkpoints at 20, 35 and 50 (5 receipts not yet signed). */
function signedLog(): string {
  const home = tempHome();
  const { key } = ensureLogKey(home);
  const log = openSqliteLog(databaseFile(home));
  try {
    let n = 0;
    for (const size of [20, 35, 50]) {
      fillLog(home, size - n, n);
      n = size;
      log.issueCheckpoint(key.signer, new Date());
    }
    fillLog(home, 5, 50);
    log.sync();
  } finally { log.close(); }
  return home;
}

function audit(home: string): LogAudit {
  const { key } = ensureLogKey(home);
  const log = openSqliteLog(databaseFile(home), { readonly: true });
  try { return auditLog(log, parseVerifierKey(key.verifierKey)); } finally { log.close(); }
}

/** Tamper with the database as an attacker with file access would. */
function tamper(home: string, fn: (db: BetterSqlite3.Database) => void): void {
  const db = new Database(databaseFile(home));
  try { fn(db); } finally { db.close(); }
}

function body(db: BetterSqlite3.Database, seq: number): string {
  return (db.prepare('SELECT body FROM receipts WHERE seq = ?').get(seq) as { body: string }).body;
}

/** Replace the body of `seq` and (as a careful attacker would) its recorded leaf hash too. */
function rewrite(db: BetterSqlite3.Database, seq: number, newBody: string): void {
  db.prepare('UPDATE receipts SET body = ?, leaf_hash = ? WHERE seq = ?').run(newBody, leafHashOfBody(newBody).toString('hex'), seq);
}

describe('vaibot verify --log', () => {
  it('passes an untouched log: every checkpoint reproduced, the unsigned tail matches the stored tree', () => {
    const a = audit(signedLog());
    expect(a.ok).toBe(true);
    expect(a.summary).toBe('ok receipts=55 checkpoints=3 latest=50 unsigned_tail=5');
  });

  it('names the edited receipt when a body and its recorded leaf hash were both rewritten', () => {
    const home = signedLog();
    tamper(home, (db) => rewrite(db, 28, body(db, 28).replace('"decision":"allow"', '"decision":"deny"')));
    const a = audit(home);
    expect(a.ok).toBe(false);
    expect(a.firstBadIndex).toBe(27);
    expect(a.summary).toMatch(/^first bad index 27: index 27 \(receipt seq 28\) differs from what checkpoint 35 signed/);
  });

  it('names the edited receipt when only its body was changed', () => {
    const home = signedLog();
    tamper(home, (db) => db.prepare('UPDATE receipts SET body = ? WHERE seq = 5').run(body(db, 5).replace('session-1', 'session-2')));
    const a = audit(home);
    expect(a.firstBadIndex).toBe(4);
    expect(a.summary).toMatch(/differs from what checkpoint 20 signed/);
  });

  it('names a removed receipt', () => {
    const home = signedLog();
    tamper(home, (db) => db.prepare('DELETE FROM receipts WHERE seq = 13').run());
    const a = audit(home);
    expect(a.firstBadIndex).toBe(12);
    expect(a.summary).toMatch(/index 12 is missing \(receipt seq 13 was removed/);
  });

  it('names the first shifted index when a removal is hidden by renumbering', () => {
    const home = signedLog();
    tamper(home, (db) => {
      db.prepare('DELETE FROM receipts WHERE seq = 13').run();
      db.prepare('UPDATE receipts SET seq = seq - 1 WHERE seq > 13').run();
    });
    const a = audit(home);
    expect(a.firstBadIndex).toBe(12);
    expect(a.summary).toMatch(/index 12 \(receipt seq 13\) differs .* it holds the receipt signed at index 13 \(reordered\)/);
  });

  it('names the first of two swapped receipts', () => {
    const home = signedLog();
    tamper(home, (db) => {
      const [b31, b41] = [body(db, 31), body(db, 41)];
      rewrite(db, 31, b41);
      rewrite(db, 41, b31);
    });
    const a = audit(home);
    expect(a.firstBadIndex).toBe(30);
    expect(a.summary).toMatch(/index 30 .* it holds the receipt signed at index 40 \(reordered\)/);
  });

  it('names the first missing index when the newest receipts were cut off', () => {
    const home = signedLog();
    tamper(home, (db) => db.prepare('DELETE FROM receipts WHERE seq >= 48').run());
    const a = audit(home);
    expect(a.firstBadIndex).toBe(47);
    expect(a.summary).toMatch(/index 47 is missing .*the log ends before checkpoint 50/);
  });

  it('flags an edit in the tail that no checkpoint covers yet', () => {
    const home = signedLog();
    tamper(home, (db) => rewrite(db, 53, body(db, 53).replace('Bash', 'Zsh')));
    const a = audit(home);
    expect(a.firstBadIndex).toBe(52);
    expect(a.summary).toMatch(/index 52 .*\(not yet covered by a checkpoint\)/);
  });

  it('narrows the edit down to a range when the attacker rewrote the stored tree as well', () => {
    const home = signedLog();
    tamper(home, (db) => {
      const b = body(db, 28).replace('"decision":"allow"', '"decision":"deny"');
      rewrite(db, 28, b);
      db.prepare('UPDATE tlog_nodes SET hash = ? WHERE level = 0 AND idx = 27').run(leafHashOfBody(b));
    });
    const a = audit(home);
    expect(a.ok).toBe(false);
    expect(a.firstBadIndex).toBe(26);
    expect(a.summary).toMatch(/the stored tree was altered as well, so the first bad index is known only to be at or after 26/);
  });

  it('reports a stored checkpoint whose note was altered', () => {
    const home = signedLog();
    tamper(home, (db) => db.prepare("UPDATE tlog_checkpoints SET note = replace(note, char(10) || '35' || char(10), char(10) || '36' || char(10)) WHERE tree_size = 35").run());
    const a = audit(home);
    expect(a.ok).toBe(false);
    expect(a.summary).toMatch(/checkpoint 35: signature line 1 .* does not verify/);
  });

  it('refuses to extend the tree over a receipt whose body no longer matches its recorded hash', () => {
    const home = signedLog();
    fillLog(home, 2, 60);
    tamper(home, (db) => db.prepare('UPDATE receipts SET body = ? WHERE seq = 57').run(body(db, 57).replace('Bash', 'Zsh')));
    const log = openSqliteLog(databaseFile(home));
    try {
      expect(() => log.sync()).toThrow(/receipt seq 57 \(leaf 56\): its body no longer matches/);
    } finally { log.close(); }
  });
});
