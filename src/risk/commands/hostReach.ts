/**
 * Ways to reach the host from a container or VM tool, and ways to make something start later,
 * beyond `docker run --privileged -v /:/host` (infra.ts) and cron/systemd units (system.ts):
 * host devices and kernel interfaces handed to containers, privileged LXC containers and host
 * disks, plugins granted every permission, commands run on the host through machinectl or in a
 * minikube VM, pod manifests applied from stdin that ask for the host, production data copied out
 * of containers and pods, timers and job tables other than cron, login hooks, editor extensions
 * from files, and scheduled Kubernetes jobs.
 */
import type { Call, Handler } from '../call.js';
import { UNKNOWN_OUTPUT, display, namesProduction, runInner, runRemote } from './support.js';
import { runCode } from './scripts.js';
import { generic, judgeForcedDestroy } from './generic.js';

/** Host devices that give the disk, memory or the kernel (GPUs, sound, /dev/fuse and the like are ordinary). */
const HOST_DEVICE = /^\/dev\/(?:sd[a-z]|nvme|vd[a-z]|xvd[a-z]|hd[a-z]|mmcblk|dm-|md\d|loop|mem$|kmem$|port$|mapper\/|disk\/)/;
/** Host kernel interfaces and runtime state that let a container see or change the host (judged in infra.ts's judgeMounts). */
export const HOST_INTERFACE = /^\/(?:proc|sys|dev)(?:\/|$)|^\/var\/lib\/(?:docker|containerd|kubelet)(?:\/|$)/;
/** Capabilities that let a container break out or read the host. */
const ESCAPE_CAPABILITY = /^(?:ALL|SYS_ADMIN|SYS_PTRACE|SYS_MODULE|DAC_READ_SEARCH|SYS_RAWIO)$/i;

/** `docker run|create` flags beyond privileged and host mounts: host devices and escape capabilities (`--cap-add X` spelled apart too). */
export function judgeContainerHostReach(call: Call, sub: string): void {
  const a = call.args;
  const run = call.exec.run;
  for (let i = 0; i < a.length; i++) {
    const t = a[i]!;
    const value = (name: string) => (t === name ? a[i + 1] : t.startsWith(`${name}=`) ? t.slice(name.length + 1) : undefined);
    const device = value('--device');
    if (device !== undefined && HOST_DEVICE.test(device.split(':')[0]!)) run.add('infra.docker-host-access', `${call.program} ${sub} hands the host device ${display(device)} to the container`);
    const cap = value('--cap-add');
    if (cap !== undefined && ESCAPE_CAPABILITY.test(cap.replace(/^CAP_/i, ''))) run.add('infra.docker-host-access', `${call.program} ${sub} --cap-add ${cap} lets the container reach the host`);
  }
}

/** `docker cp CONTAINER:PATH …`, `kubectl cp NS/POD:PATH …`: data copied out of a container or pod named as production. */
export function judgeProductionCopy(call: Call, operands: readonly string[]): void {
  const from = operands.find((o) => /^[\w./-]+:\//.test(o) || /^[\w.-]+\/[\w.-]+:/.test(o));
  if (from && namesProduction([from.split(':')[0]!])) call.exec.run.add('infra.production-data', `${call.program} cp copies ${display(from)} out of a production container`);
}

/** `kubectl apply|create -f -` with the manifest on stdin: a pod that asks for the host (privileged, host namespaces, hostPath of /). */
export function judgeManifestHostReach(call: Call, text: string): void {
  if (/"?privileged"?\s*:\s*true|"?host(?:PID|Network|IPC)"?\s*:\s*true|"?hostPath"?\s*:\s*\{?\s*"?path"?\s*:\s*"?\/"?\s*[,}\n]/.test(text))
    call.exec.run.add('infra.access-grant', `${call.program} applies a pod that asks for the host (privileged, host namespaces or the host's root)`);
}

/** `lxc launch … -c security.privileged=true`, `lxc config device add … disk source=/`: a privileged container, the host's disk. */
const lxc: Handler = (call) => {
  const a = call.args;
  if (a.some((x) => /^security\.(?:privileged|nesting)=true$/.test(x)) || (a[0] === 'config' && a[1] === 'device' && a[2] === 'add' && a.some((x) => /^source=\/(?:$|etc|root|home|var)/.test(x))))
    call.exec.run.add('infra.docker-host-access', `${call.program} ${a.slice(0, 3).join(' ')} gives a container the host`);
  const dd = call.argWords.findIndex((w) => w.text === '--');
  if (a[0] === 'exec' && dd >= 0) return runRemote(call, call.argWords.slice(dd + 1).map((w) => w.text).join(' '), '/', `${call.program} exec`);
  judgeForcedDestroy(call);
  return UNKNOWN_OUTPUT;
};

/** `machinectl shell [USER@].host CMD…` runs CMD on this machine; on another machine it is judged as remote. */
const machinectl: Handler = (call) => {
  const a = call.argWords;
  if (a[0]?.text !== 'shell' && a[0]?.text !== 'login') return UNKNOWN_OUTPUT;
  const target = a[1]?.text ?? '';
  const rest = a.slice(2);
  if (rest.length === 0) return UNKNOWN_OUTPUT;
  if (/(?:^|@)\.host$/.test(target)) return runInner(call, rest, { via: 'machinectl shell' });
  return runRemote(call, rest.map((w) => w.text).join(' '), '/', `machinectl shell ${target}`);
};

/** `minikube ssh 'cmd'`, `multipass exec VM -- cmd`: commands in a local VM, judged as on another machine. */
const vmShell: Handler = (call) => {
  const a = call.args;
  if (call.program === 'minikube' && a[0] === 'ssh' && a.length > 1) return runRemote(call, a.slice(1).filter((x) => !x.startsWith('-')).join(' '), '/', 'minikube ssh');
  const dd = a.indexOf('--');
  if (call.program === 'multipass' && a[0] === 'exec' && dd > 0) return runRemote(call, a.slice(dd + 1).join(' '), '/', 'multipass exec');
  // `minikube delete --all --purge` and the like: what any program without a handler gets
  judgeForcedDestroy(call);
  return UNKNOWN_OUTPUT;
};

/** Job tables other than cron (`fcrontab -`, `incrontab -`): each entry's command is judged, and installing them is persistence. */
const jobTable: Handler = (call) => {
  const run = call.exec.run;
  if (call.args.some((x) => x === '-l' || x === '--list')) return UNKNOWN_OUTPUT;
  run.add('persist.crontab', `${call.program} installs jobs that run later by themselves`);
  if (call.stdin.kind === 'text') {
    for (const line of call.stdin.text.split('\n')) {
      const cmd = call.program === 'incrontab' ? /^\S+\s+\S+\s+(.+)$/.exec(line)?.[1] : /^\s*(?:[^\s#]+\s+){5}(.+)$/.exec(line)?.[1];
      if (cmd) runCode(call, 'sh', cmd, `${call.program} job`);
    }
  }
  return UNKNOWN_OUTPUT;
};

/** `defaults write com.apple.loginwindow LoginHook|LogoutHook X`: macOS runs X as root at every login. */
const defaults: Handler = (call) => {
  const a = call.args;
  if (a[0] === 'write' && /^(?:LoginHook|LogoutHook)$/.test(a[2] ?? '')) call.exec.run.add('persist.autostart', `defaults write ${a[1]} ${a[2]} runs ${display(a[3] ?? '')} at every login`);
  return UNKNOWN_OUTPUT;
};

/** `code|codium|cursor --install-extension FILE.vsix`: an editor extension from a file, not the marketplace, runs with the user's rights in every window. */
const editorExtension: Handler = (call) => {
  const a = call.args;
  for (let i = 0; i < a.length; i++) {
    const ext = a[i] === '--install-extension' ? a[i + 1] : a[i]!.startsWith('--install-extension=') ? a[i]!.slice(20) : undefined;
    if (ext !== undefined && (/\.vsix$/i.test(ext) || /^(?:https?:|\.{0,2}\/|~)/.test(ext))) call.exec.run.add('exec.package-from-url', `${call.program} --install-extension ${display(ext)} installs an editor extension from a file, not the marketplace`);
  }
  // the files it opens are judged as any program's arguments
  return generic(call);
};

/** Handlers of this module, by program name. */
export const HOST_REACH_HANDLERS: Record<string, Handler> = {
  code: editorExtension, codium: editorExtension, cursor: editorExtension, windsurf: editorExtension,
  lxc, incus: lxc, machinectl, minikube: vmShell, multipass: vmShell, fcrontab: jobTable, incrontab: jobTable, defaults,
};
