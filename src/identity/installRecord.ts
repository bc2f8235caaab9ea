import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/secureFs.js';

/** What `vaibot install` put into Codex: the plugin's version and build, and where from. */
export interface InstallRecord {
  version: string;
  build: string;
  pluginId: string;
  installedAt: string;
}

/** The install record's file. */
export function installRecordFile(home: string): string {
  return join(home, 'installed.json');
}

/** Save the install record (0600, atomically). */
export function writeInstallRecord(home: string, record: InstallRecord): void {
  writeFileAtomic(installRecordFile(home), `${JSON.stringify(record, null, 2)}\n`);
}

/** Read the install record; null when there is none or it cannot be read. */
export function readInstallRecord(home: string): InstallRecord | null {
  try {
    const r = JSON.parse(readFileSync(installRecordFile(home), 'utf8')) as Partial<InstallRecord>;
    return typeof r.version === 'string' && typeof r.build === 'string' && typeof r.pluginId === 'string'
      ? { version: r.version, build: r.build, pluginId: r.pluginId, installedAt: String(r.installedAt ?? '') }
      : null;
  } catch {
    return null;
  }
}
