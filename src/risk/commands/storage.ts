/**
 * Storage tools whose subcommands destroy volumes, pools, encrypted containers or whole devices:
 * LUKS (cryptsetup), ATA/NVMe/SCSI secure erase (hdparm, nvme, sg_*), LVM (lvremove, vgremove,
 * pvremove, lvm …), ZFS (zpool destroy, zfs destroy/rollback), btrfs subvolumes, md RAID
 * (mdadm), macOS diskutil, Ceph and Stratis. Listing and status subcommands stay allowed.
 */
import type { Call, Handler } from '../call.js';
import { judgeDelete } from '../pathRules.js';
import { type DataSource, type ShellWord, EMPTY_INPUT } from '../shellValue.js';
import { UNKNOWN_OUTPUT, display, pathOf } from './support.js';

/** Non-option words, skipping the values of the options in `withValue`. */
function operands(words: readonly ShellWord[], withValue: RegExp): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!.text;
    if (t === '--') return [...out, ...words.slice(i + 1)];
    if (t.startsWith('-') && t.length > 1) {
      if (!t.includes('=') && withValue.test(t)) i++;
      continue;
    }
    out.push(words[i]!);
  }
  return out;
}

/** True when the call only asks for help or a version. */
function helpOnly(call: Call): boolean {
  return call.args.some((a) => /^(?:-h|--help|-V|--version|help|version)$/.test(a));
}

/** Report a destroyed device, volume or pool. */
function destroys(call: Call, what: string, target: ShellWord | undefined): DataSource {
  call.exec.run.add('fs.format-disk', `${[call.program, what].filter(Boolean).join(' ')} destroys ${target ? display(target.text) : 'a volume or device'} and the data on it`);
  return UNKNOWN_OUTPUT;
}

/**
 * A tool whose first `depth` operands name the action: `verbs` matches a destructive action
 * (lower-cased, joined by spaces: `subvolume delete`, `luksformat`).
 */
function verbTool(verbs: RegExp, withValue: RegExp = /^-[a-zA-Z]$/, depth = 1): Handler {
  return (call) => {
    if (helpOnly(call)) return UNKNOWN_OUTPUT;
    const ops = operands(call.argWords, withValue);
    const action = ops.slice(0, depth).map((w) => w.text.toLowerCase()).join(' ');
    if (verbs.test(action)) return destroys(call, action, ops[depth] ?? ops[ops.length - 1]);
    return UNKNOWN_OUTPUT;
  };
}

/** A program that only exists to destroy what it is given (lvremove, pvremove, sg_format). */
const alwaysDestroys: Handler = (call) => {
  if (helpOnly(call)) return UNKNOWN_OUTPUT;
  const ops = operands(call.argWords, /^-[a-zA-Z]$|^--(?:config|select|devices|devicesfile|reportformat|format|size)$/);
  return destroys(call, '', ops[ops.length - 1]);
};

/** A tool whose destructive actions are options (`hdparm --security-erase`, `mdadm --zero-superblock`). */
function optionTool(destructive: RegExp): Handler {
  return (call) => {
    const hit = call.args.find((a) => destructive.test(a.split('=')[0]!));
    if (!hit) return UNKNOWN_OUTPUT;
    const ops = call.argWords.filter((w) => w.text.startsWith('/dev/'));
    return destroys(call, hit, ops[ops.length - 1]);
  };
}

/** `cryptsetup ACTION …`: formatting or erasing a LUKS header loses every key to the data. */
const cryptsetup = verbTool(/^(?:luksformat|erase|lukserase|lukskillslot|reencrypt --encrypt|tcryptformat)$|^(?:luksformat|erase|lukserase|lukskillslot) /, /^-[cdhiSsklpqT]$|^--(?:type|cipher|key-size|hash|key-file|key-slot|pbkdf|iter-time|label|subsystem|header|sector-size|offset|keyfile-size|keyfile-offset|uuid|integrity|pbkdf-memory|pbkdf-parallel|token-id|key-description|luks2-metadata-size|luks2-keyslots-size)$/);

/** `nvme format|sanitize|write-zeroes|delete-ns DEV`. */
const nvme = verbTool(/^(?:format|sanitize|write-zeroes|delete-ns|ns-delete|detach-ns)$/, /^-[nslbpoifm]$|^--(?:namespace-id|ses|lbaf|pi|pil|ms|sanact|ovrpat|output-format|timeout)$/);

/** `zpool destroy|labelclear|create|split POOL`: create overwrites the disks it is given. */
const zpool = verbTool(/^(?:destroy|labelclear|create)$/, /^-[oOmRt]$/);

/** `zfs destroy DATASET`, `zfs rollback SNAP` (discards everything after the snapshot). */
const zfs = verbTool(/^(?:destroy|rollback)$/, /^-[oO]$/);

/** `btrfs subvolume delete PATH` (the group and command may be abbreviated): judged as a recursive delete of PATH. */
const btrfs: Handler = (call) => {
  if (helpOnly(call)) return UNKNOWN_OUTPUT;
  const ops = operands(call.argWords, /^-[c]$|^--(?:commit-after|commit-each|subvolid)$/);
  const [group, cmd] = ops.map((w) => w.text.toLowerCase());
  const isPrefix = (word: string | undefined, full: string, min: number) => !!word && word.length >= min && full.startsWith(word);
  if (isPrefix(group, 'subvolume', 2) && isPrefix(cmd, 'delete', 1)) {
    for (const w of ops.slice(2)) judgeDelete(call.exec.run, pathOf(call, w), { recursive: true, verb: 'btrfs subvolume delete' });
    if (ops.length <= 2 || call.args.some((a) => a === '--subvolid' || a.startsWith('--subvolid=') || a === '-i')) destroys(call, 'subvolume delete', ops[2]);
  } else if (isPrefix(group, 'rescue', 3) && /^(?:zero-log|chunk-recover|super-recover|clear-uuid-tree)$/.test(cmd ?? '')) destroys(call, `rescue ${cmd}`, ops[2]);
  return EMPTY_INPUT;
};

/** `lvm lvremove …`: the lvm shell runs the same commands as the standalone tools. */
const lvm: Handler = (call) => {
  const sub = call.argWords[0];
  const h = sub && Object.hasOwn(STORAGE_HANDLERS, sub.text) ? STORAGE_HANDLERS[sub.text] : undefined;
  if (!h || sub!.text === 'lvm') return UNKNOWN_OUTPUT;
  return h({ ...call, program: sub!.text, args: call.args.slice(1), argWords: call.argWords.slice(1) });
};

/** `diskutil eraseDisk|eraseVolume|zeroDisk|partitionDisk|apfs deleteContainer …` (macOS). */
const diskutil = verbTool(/^(?:erasedisk|erasevolume|zerodisk|randomdisk|secureerase|partitiondisk|reformat|eraseoptical|(?:apfs|ap|cs|coreStorage|ar|appleRaid) (?:deletecontainer|deletevolume|erasevolume|delete|deletelvg|deletevolumegroup|deletelv)|apfs (?:deletecontainer|deletevolume|erasevolume))\b/i, /^$/, 2);

/** `ceph-volume lvm zap`, `ceph osd pool delete`, `ceph fs rm`. */
const ceph: Handler = (call) => {
  const line = operands(call.argWords, /^-[c]$|^--(?:cluster|conf|name|id)$/).map((w) => w.text.toLowerCase()).join(' ');
  if (/^(?:lvm |raw )?zap\b|^osd (?:pool (?:delete|rm)|purge|destroy)\b|^fs (?:rm|fail)\b/.test(line)) destroys(call, line.split(' ').slice(0, 3).join(' '), undefined);
  return UNKNOWN_OUTPUT;
};

/** `stratis pool destroy`, `stratis filesystem destroy`. */
const stratis = verbTool(/^(?:pool|filesystem|fs) destroy$/, /^$/, 2);

/** Storage handlers, by program name. */
export const STORAGE_HANDLERS: Record<string, Handler> = {
  cryptsetup,
  nvme,
  hdparm: optionTool(/^--(?:security-erase(?:-enhanced)?|trim-sector-ranges(?:-stdin)?|write-sector|make-bad-sector|fwdownload\S*|dco-restore|security-set-pass)$/),
  mdadm: optionTool(/^--(?:zero-superblock|create|build)$|^-[CB]$/),
  lvremove: alwaysDestroys, vgremove: alwaysDestroys, pvremove: alwaysDestroys, lvreduce: alwaysDestroys,
  pvcreate: alwaysDestroys, vgcreate: alwaysDestroys,
  lvm,
  zpool,
  zfs,
  btrfs,
  diskutil,
  'ceph-volume': ceph, ceph,
  stratis,
  sg_format: alwaysDestroys, sg_sanitize: alwaysDestroys, sg_unmap: alwaysDestroys,
  'sedutil-cli': optionTool(/^--(?:yesIreallywanttoERASEALLmydatausingthePSID|revertTPer|revertNoErase|PSIDrevert)$/i),
  flashrom: optionTool(/^(?:-w|--write|-E|--erase)$/),
};
