/**
 * Commands that change the running machine rather than files: mounts, swap, kernel parameters and
 * modules, the firewall, network interfaces and routes, SELinux, the clock and the hostname. Each
 * is a `proc.host-config` finding when it changes something; listing and showing stay quiet. This
 * runs beside the command's own handler (`mount` and `ip` have one), not instead of it.
 */
import type { Call } from '../call.js';

/** The arguments that are not options. */
function operands(args: readonly string[]): string[] {
  return args.filter((a) => !a.startsWith('-'));
}

/** What a program changes, and whether these arguments change it. */
interface HostChange { what: string; changes: (args: readonly string[]) => boolean }

const hostChange = (what: string, changes: (args: readonly string[]) => boolean): HostChange => ({ what, changes });

const has = (args: readonly string[], re: RegExp): boolean => args.some((a) => re.test(a));

/** `iptables -L`, `nft list ruleset`, `ufw status`: reading the firewall; anything else changes it. */
const firewallListing = /^-(?:L|S|-list(?:-rules)?|-list-[\w-]+|-state|-get-[\w-]+|-query-[\w-]+|h|-help|V|-version|n|v|x|t|-line-numbers|-numeric|-verbose|-exact)$/;

/** `ip OBJECT VERB …`: the verbs that change an object (show, list and get only read). */
const IP_CHANGES = /^(?:add|del|delete|set|change|replace|flush|append|prepend|attach|detach)$/;

/** Programs that change the machine, by name. */
const HOST_CHANGES: Record<string, HostChange> = {
  // `mount` alone (or -l, --show) lists; with a device or a mount point it mounts
  mount: hostChange('mounts a filesystem', (a) => operands(a).length > 0 || has(a, /^--(?:bind|rbind|move|make-[\w-]+)$|^-[a-zA-Z]*[aB]/)),
  umount: hostChange('unmounts a filesystem', (a) => operands(a).length > 0 || has(a, /^-[a-zA-Z]*a|^--all$/)),
  swapon: hostChange('changes swap', (a) => !has(a, /^-(?:s|-summary|-show(?:=.*)?|h|-help|V|-version)$/) && (operands(a).length > 0 || has(a, /^-[a-zA-Z]*a|^--all$/))),
  swapoff: hostChange('turns swap off', (a) => operands(a).length > 0 || has(a, /^-[a-zA-Z]*a|^--all$/)),
  // `sysctl kernel.x` reads; `-w`, `key=value`, `-p`/`--system` load new values
  sysctl: hostChange('changes kernel parameters', (a) => has(a, /^-[a-zA-Z]*[wp]|^--(?:write|load|system)(?:=.*)?$/) || operands(a).some((x) => x.includes('='))),
  modprobe: hostChange('loads or removes a kernel module', (a) => !has(a, /^-(?:n|-dry-run|c|-showconfig|-show-depends|D|h|-help|V|-version)$/) && operands(a).length > 0),
  insmod: hostChange('loads a kernel module', (a) => operands(a).length > 0),
  rmmod: hostChange('removes a kernel module', (a) => operands(a).length > 0),
  iptables: hostChange('changes the firewall', (a) => a.length > 0 && !a.every((x) => firewallListing.test(x) || !x.startsWith('-') || /^(?:filter|nat|mangle|raw|security)$/.test(x))),
  nft: hostChange('changes the firewall', (a) => { const o = operands(a); return o.length > 0 && !/^(?:list|describe|monitor)$/.test(o[0]!); }),
  ufw: hostChange('changes the firewall', (a) => { const o = operands(a); return o.length > 0 && !/^(?:status|show|app|version|help)$/.test(o[0]!) || (o[0] === 'app' && o[1] === 'update'); }),
  'firewall-cmd': hostChange('changes the firewall', (a) => a.some((x) => /^--(?:add|remove|set|new|delete|reload|complete-reload|runtime-to-permanent|panic-on|change)/.test(x))),
  // `ip a`, `ip route`, `ip link show` read; `ip link set eth0 down`, `ip route add …` change
  ip: hostChange('changes network interfaces or routes', (a) => { const o = operands(a); return o.length > 1 && IP_CHANGES.test(o[1]!); }),
  ifconfig: hostChange('changes a network interface', (a) => operands(a).length > 1),
  ifup: hostChange('brings a network interface up', (a) => operands(a).length > 0 || has(a, /^-[a-zA-Z]*a/)),
  ifdown: hostChange('takes a network interface down', (a) => operands(a).length > 0 || has(a, /^-[a-zA-Z]*a/)),
  route: hostChange('changes the routing table', (a) => operands(a).some((x) => /^(?:add|del|delete|change|flush)$/.test(x))),
  tc: hostChange('changes traffic control', (a) => operands(a).some((x) => /^(?:add|del|delete|change|replace|link)$/.test(x))),
  setenforce: hostChange('changes SELinux enforcement', (a) => operands(a).length > 0),
  hostnamectl: hostChange('changes the hostname', (a) => operands(a).some((x) => /^(?:set-[\w-]+|hostname)$/.test(x)) && operands(a).length > 1),
  hostname: hostChange('changes the hostname', (a) => operands(a).length > 0 || has(a, /^-[a-zA-Z]*F|^--file/)),
  timedatectl: hostChange('changes the clock or time zone', (a) => operands(a).some((x) => /^set-[\w-]+$/.test(x))),
  hwclock: hostChange('sets the hardware clock', (a) => has(a, /^--(?:set|systohc|hctosys|adjust)$|^-[a-zA-Z]*[wsa]/)),
  date: hostChange('sets the system clock', (a) => has(a, /^-s|^--set(?:=.*)?$/)),
  // user accounts and passwords
  useradd: hostChange('creates a user account', (a) => operands(a).length > 0),
  adduser: hostChange('creates a user account', (a) => operands(a).length > 0),
  usermod: hostChange('changes a user account', (a) => operands(a).length > 0),
  userdel: hostChange('deletes a user account', (a) => operands(a).length > 0),
  deluser: hostChange('deletes a user account', (a) => operands(a).length > 0),
  groupadd: hostChange('creates a group', (a) => operands(a).length > 0),
  groupmod: hostChange('changes a group', (a) => operands(a).length > 0),
  gpasswd: hostChange("changes a group's members", (a) => operands(a).length > 0),
  chpasswd: hostChange('sets passwords', () => true),
  passwd: hostChange('changes a password', (a) => !has(a, /^-(?:S|-status)$/)),
  chage: hostChange("changes a password's ageing", (a) => !has(a, /^-(?:l|-list)$/)),
  loginctl: hostChange('keeps user services running after logout', (a) => operands(a)[0] === 'enable-linger'),
};

/** Report `proc.host-config` when `program` (the command as resolved) changes the machine with these arguments. */
export function judgeHostConfig(call: Call): void {
  const spec = Object.hasOwn(HOST_CHANGES, call.program) ? HOST_CHANGES[call.program] : undefined;
  if (spec?.changes(call.args)) call.exec.run.add('proc.host-config', `${call.program} ${call.args.join(' ')} ${spec.what}`.replace(/\s+/g, ' '));
}
