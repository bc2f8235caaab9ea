/**
 * Cloud and forge operations as harmful as a delete without a delete verb: switching off the safety
 * nets that let data be recovered or actions be traced (versioning, lifecycle expiry, audit trails,
 * log retention), sharing snapshots and databases with everyone, commands sent to running machines
 * (SSM, Azure run-command, GCE startup scripts), and repository settings that let history be
 * overwritten or checks be skipped. Called from the aws, gcloud, az, gh and glab handlers.
 */
import type { Call } from '../call.js';
import { display, runRemote } from './support.js';

/** Everyone, as the cloud CLIs spell it in sharing and firewall options. */
const EVERYONE = /(?:^|[\s=,"'[])(?:all|0\.0\.0\.0\/0|::\/0|\*)(?:$|[\s,"'\]])/;

/** The JSON-ish list of commands an SSM document or run-command is given (`commands=["a","b"]`, `--scripts 'a' 'b'`). */
function commandsParameter(text: string): string[] {
  const m = /commands\s*=\s*\[([^\]]*)\]/.exec(text) ?? /"commands"\s*:\s*\[([^\]]*)\]/.exec(text);
  if (!m) return [];
  return [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((x) => (x[1] ?? x[2] ?? '').replace(/\\(.)/g, '$1'));
}

/** `aws …`: see the module comment. */
export function judgeAwsSafetyNets(call: Call, svc: string, op: string): void {
  const run = call.exec.run;
  const a = call.args;
  const text = a.join(' ');
  if ((svc === 'cloudtrail' && /^(?:stop-logging|put-event-selectors)$/.test(op)) || (svc === 'configservice' && op === 'stop-configuration-recorder') || (svc === 'guardduty' && op === 'update-detector' && a.includes('--no-enable')))
    run.add('infra.cloud-delete', `aws ${svc} ${op} stops recording what is done in the account`);
  if (svc === 's3api' && op === 'put-bucket-versioning' && /Status=Suspended|"Status"\s*:\s*"Suspended"/.test(text)) run.add('infra.cloud-delete', 'aws s3api put-bucket-versioning suspends versioning: overwritten and deleted objects can no longer be recovered');
  if (svc === 's3api' && op === 'put-bucket-lifecycle-configuration' && /Expiration|NoncurrentVersionExpiration/.test(text)) run.add('infra.cloud-delete', 'aws s3api put-bucket-lifecycle-configuration makes the bucket delete objects by itself');
  if (svc === 's3' && op === 'mv' && (a.find((x) => x.startsWith('s3://')) ?? '') === a.filter((x) => !x.startsWith('-'))[2]) run.add('infra.cloud-delete', 'aws s3 mv removes the objects from the source bucket');
  // shared with everyone, or reachable from the internet
  if ((/^modify-(?:snapshot|image|db-snapshot|db-cluster-snapshot)-attribute$/.test(op) && EVERYONE.test(text)) || (svc === 'rds' && /^modify-db-(?:instance|cluster)$/.test(op) && a.includes('--publicly-accessible')) || (svc === 'ecr' && /^(?:set|put)-repository-policy$/.test(op) && /"Principal"\s*:\s*"\*"/.test(text)))
    run.add('infra.access-grant', `aws ${svc} ${op} makes it reachable or readable by anyone`);
  // commands sent to running machines
  if (svc === 'ssm' && op === 'send-command') {
    const cmds = commandsParameter(text);
    if (cmds.length > 0) runRemote(call, cmds.join('\n'), '/', 'aws ssm send-command');
    else run.add('exec.dynamic-command', 'aws ssm send-command runs a document on other machines');
  }
}

/** `gcloud …`: see the module comment. */
export function judgeGcloudSafetyNets(call: Call, line: string): void {
  const run = call.exec.run;
  const a = call.args;
  if (/^logging (?:buckets|sinks) (?:update|delete)\b/.test(line) && (line.includes('delete') || a.some((x) => /^--retention-days(?:=|$)/.test(x)))) run.add('infra.cloud-delete', `gcloud ${line} shortens or removes what the logs keep`);
  if (/^sql instances patch\b/.test(line) && a.some((x) => /^--authorized-networks=.*(?:0\.0\.0\.0\/0)/.test(x))) run.add('infra.access-grant', 'gcloud sql instances patch opens the database to the whole internet');
  if (/^projects remove-iam-policy-binding\b/.test(line)) run.add('infra.access-grant', 'gcloud projects remove-iam-policy-binding changes who can administer the project');
  const meta = a.find((x) => /^--metadata=.*\bstartup-script=/.test(x)) ?? (a.includes('--metadata') ? a[a.indexOf('--metadata') + 1] : undefined);
  const script = meta ? /startup-script=(.*)$/s.exec(meta)?.[1] : undefined;
  if (/^compute instances add-metadata\b/.test(line) && script !== undefined) runRemote(call, script, '/', 'gcloud compute instances add-metadata startup-script');
}

/** `az …`: see the module comment. */
export function judgeAzSafetyNets(call: Call, line: string): void {
  const run = call.exec.run;
  const a = call.args;
  if (/^vm run-command (?:invoke|create)\b/.test(line)) {
    const i = a.indexOf('--scripts');
    const scripts = i >= 0 ? a.slice(i + 1).filter((x, k, all) => !x.startsWith('--') && all.slice(0, k).every((y) => !y.startsWith('--'))) : [];
    if (scripts.length > 0) runRemote(call, scripts.join('\n'), '/', 'az vm run-command');
  }
  if ((/^storage account (?:update|create)\b/.test(line) && a.some((x, k) => x === '--allow-blob-public-access' && a[k + 1] === 'true')) || (/^storage container (?:set-permission|create)\b/.test(line) && a.some((x, k) => x === '--public-access' && /^(?:blob|container)$/.test(a[k + 1] ?? ''))))
    run.add('infra.access-grant', `az ${line.split(' ').slice(0, 3).join(' ')} makes storage readable by anyone`);
  if (/^sql server firewall-rule create\b/.test(line) && a.includes('0.0.0.0') && a.includes('255.255.255.255')) run.add('infra.access-grant', 'az sql server firewall-rule create opens the database to every address');
}

/** `gh` and `glab`: repository settings and transfers that weaken protections or hand the repository over. */
export function judgeForgeSafetyNets(call: Call, method: string | undefined): void {
  const run = call.exec.run;
  const a = call.args;
  const text = a.join(' ');
  if (a[0] === 'repo' && a[1] === 'transfer') run.add('infra.access-grant', `${call.program} repo transfer hands the repository to ${display(a[3] ?? 'another owner')}`);
  if (a[0] === 'repo' && a[1] === 'sync' && a.includes('--force')) run.add('vcs.force-push', `${call.program} repo sync --force overwrites the repository's history with another's`);
  if (a[0] === 'workflow' && a[1] === 'disable') run.add('infra.cloud-delete', `${call.program} workflow disable turns off a CI workflow (checks, scans)`);
  if (a[0] === 'api' && method && method !== 'GET') {
    if (/allow_force_pushes=true|allow_deletions=true|enforce_admins=false|dismiss_stale_reviews=false/.test(text)) run.add('infra.access-grant', `${call.program} api lets history be overwritten or protections be skipped`);
    if (/visibility=public\b/.test(text)) run.add('publish.package', `${call.program} api makes a project public`);
  }
}
