/**
 * Container image builds (`docker build`, `docker buildx build`, `podman build`, `buildah bud`): what
 * the build is handed from the host. The build's RUN steps are code the agent may have written, so
 * whatever reaches them counts as read by the agent:
 * - the build context (and any `--build-context NAME=DIR`): every file under it is sent to the
 *   builder, where `COPY . .` takes them; a context of home or `/` carries the user's credentials
 *   (only credential files count here, not a project's `.env`);
 * - `--secret id=…,src=FILE`: the file is mounted into RUN steps;
 * - `--ssh default`: RUN steps may use the user's SSH agent and its keys;
 * - `--output type=local,dest=DIR` / `-o DIR`: the build writes files there on the host.
 */
import type { Call } from '../call.js';
import { judgeRead, judgeWrite } from '../pathRules.js';
import { display, pathOf } from './support.js';

/** Build options that take a value (so the value is not read as the context). */
const BUILD_VALUE_OPTIONS = /^(?:-t|--tag|-f|--file|--build-arg|--target|--platform|--secret|--ssh|--label|--network|--cache-from|--cache-to|-o|--output|--progress|--iidfile|--build-context|--add-host|--shm-size|-m|--memory|--memory-swap|--cpu-shares|--cpu-period|--cpu-quota|--cpuset-cpus|--cpuset-mems|--ulimit|--builder|--metadata-file|--attest|--sbom|--provenance|--annotation|--allow|--call|--isolation|--cgroup-parent|--security-opt|--layers|--format|--jobs|--os|--arch|--variant|--userns|--volume|-v|--authfile|--creds|--signature-policy|--timestamp|--squash-all|--http-proxy|--runtime|--env|--label-file)$/;

/** The value of a `k=v,k=v` option for one of `keys`. */
function field(spec: string, keys: RegExp): string | undefined {
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0 && keys.test(part.slice(0, eq))) return part.slice(eq + 1);
  }
  return undefined;
}

/** Judge an image build whose arguments (after the `build` verb) are `rest`: see the file's comment. */
export function judgeImageBuild(call: Call, rest: readonly string[]): void {
  const run = call.exec.run;
  const verb = `${call.program} build`;
  let context: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i]!;
    const eq = t.indexOf('=');
    const opt = t.startsWith('--') && eq > 0 ? t.slice(0, eq) : t;
    if (t.startsWith('-') && t !== '-') {
      if (!BUILD_VALUE_OPTIONS.test(opt)) continue;
      const value = t.startsWith('--') && eq > 0 ? t.slice(eq + 1) : rest[++i];
      if (value === undefined) continue;
      if (opt === '--secret') {
        const src = field(value, /^(?:src|source)$/);
        if (src !== undefined) judgeRead(run, pathOf(call, src), { verb: `${verb} --secret` });
      } else if (opt === '--ssh') {
        // `default`, `default=$SSH_AUTH_SOCK` or `id=KEYFILE`: the agent socket, or key files
        const [, path] = value.split('=', 2);
        if (path !== undefined && !/\.sock$|^\$?\{?SSH_AUTH_SOCK/.test(path)) judgeRead(run, pathOf(call, path), { verb: `${verb} --ssh` });
        else run.add('secrets.credential-store', `${verb} --ssh ${display(value)} lets the build's RUN steps use the user's SSH agent and its keys`);
      } else if (opt === '--build-context') {
        const dir = value.slice(value.indexOf('=') + 1);
        if (!/^[a-z][a-z0-9+.-]*:\/\/|^docker-image:|^target:|^oci-layout:/i.test(dir)) judgeRead(run, pathOf(call, dir), { verb: `${verb} --build-context`, recursive: true, ignoreDotenv: true });
      } else if (opt === '-o' || opt === '--output') {
        const dest = value.includes('=') ? field(value, /^(?:dest)$/) : value;
        if (dest !== undefined && dest !== '-') {
          const ref = pathOf(call, dest);
          judgeWrite(run, ref ? { ...ref, scope: 'under' } : ref, { verb: `${verb} --output` });
        }
      }
      continue;
    }
    context ??= t;
  }
  // a URL or a git repository as the context, or `-` (a Dockerfile on stdin, no context)
  if (context === undefined || context === '-' || /^[a-z][a-z0-9+.-]*:\/\/|^git@|\.git(?:#.*)?$/i.test(context)) return;
  judgeRead(run, pathOf(call, context), { verb: `${verb} (its context, sent to the builder)`, recursive: true, ignoreDotenv: true });
}
