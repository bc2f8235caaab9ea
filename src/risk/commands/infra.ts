/**
 * Infrastructure: Kubernetes, Terraform and friends, cloud CLIs, Docker (database clients are in
 * databaseClients.ts, build and publishing tools in buildTools.ts).
 */
import type { Call, Handler } from '../call.js';
import { judgeRead } from '../pathRules.js';
import { isSystem, protectedKind } from '../pathZones.js';
import { isLoopbackHost, urlHost } from '../network.js';
import { runCode } from './scripts.js';
import { judgeForcedDestroy } from './generic.js';
import { UNKNOWN_OUTPUT, display, namesProduction, pathOf, positionals, runRemote, shellQuote } from './support.js';
import { composeRunCommands } from '../buildConfigCommands.js';
import { HOST_INTERFACE, judgeContainerHostReach, judgeManifestHostReach, judgeProductionCopy } from './hostReach.js';
import { judgeAwsSafetyNets, judgeAzSafetyNets, judgeGcloudSafetyNets } from './cloudSafetyNets.js';
import { judgeAwsConfigureSet, judgeKubectlExecCredential } from './toolConfig.js';
import { PRODUCTION_DUMP_HANDLERS } from './productionData.js';
import { DATABASE_HANDLERS, judgeSql } from './databaseClients.js';
import { BUILD_TOOL_HANDLERS } from './buildTools.js';
import { judgeImageBuild } from './imageBuilds.js';

/** A chart, manifest or plugin fetched from a URL (not a repository name or a local path). */
const FROM_URL = /^(?:https?|oci):\/\//i;

/** `kubectl` / `oc`. */
const kubectl: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  const ops = positionals(a);
  const sub = ops[0];
  if (sub === 'cp') judgeProductionCopy(call, ops.slice(1));
  if ((sub === 'apply' || sub === 'create' || sub === 'replace') && call.stdin.kind === 'text' && a.some((x, j) => (x === '-f' || x === '--filename') && a[j + 1] === '-')) judgeManifestHostReach(call, call.stdin.text);
  // a CronJob runs its command in the cluster on a schedule, from now on
  if (sub === 'create' && ops[1] === 'cronjob') {
    run.add('persist.crontab', `${call.program} create cronjob schedules a job in the cluster`);
    const dd = a.indexOf('--');
    if (dd >= 0) runRemote(call, a.slice(dd + 1).map(shellQuote).join(' '), '/', 'kubectl cronjob');
  }
  if (sub === 'config') judgeKubectlExecCredential(call);
  if (/^(?:apply|create|replace)$/.test(sub ?? '') && a.some((x, k) => (x === '-f' || x === '--filename' || x === '-k') && FROM_URL.test(a[k + 1] ?? '') || /^--filename=https?:/.test(x)))
    run.add('exec.package-from-url', `${call.program} ${sub} -f URL puts manifests from the network into the cluster`);
  if (sub === 'replace' && a.includes('--force')) run.add('infra.kubectl-delete', `${call.program} replace --force deletes and recreates the resources`);
  if (/^(?:apply|replace|patch|rollout|set|scale|edit|create|annotate|label|autoscale)$/.test(sub ?? '') && namesProduction(a))
    run.add('publish.deploy-production', `${call.program} ${sub} changes what runs in production`);
  if (sub === 'label' && a.some((x) => /pod-security\.kubernetes\.io\/enforce=privileged/.test(x))) run.add('infra.access-grant', `${call.program} label lets privileged pods run in a namespace`);
  if (sub === 'create' && ops[1] === 'token') run.add('secrets.credential-store', `${call.program} create token mints and prints a service account token`);
  if (sub === 'delete') {
    const kind = (ops[1] ?? '').toLowerCase();
    if (/^(?:ns|namespaces?|nodes?|no|crd|customresourcedefinitions?|pv|persistentvolumes?|pvc|persistentvolumeclaims?)(?:\/|$)/.test(kind) || a.includes('--all') || a.includes('-A') || a.includes('--all-namespaces'))
      run.add('infra.kubectl-delete-namespace', `${call.program} delete ${ops.slice(1).join(' ')}${a.includes('--all') ? ' --all' : ''} deletes cluster-wide resources`);
    else run.add('infra.kubectl-delete', `${call.program} delete ${ops.slice(1).join(' ')} deletes Kubernetes resources`);
  }
  if (sub === 'drain' || (sub === 'scale' && a.some((x) => /^--replicas=0$/.test(x))) || (sub === 'taint' && a.some((x) => /:NoExecute$/.test(x))))
    run.add('infra.kubectl-delete', `${call.program} ${sub} takes workloads down`);
  // `kubectl debug node/N`: a pod on the node with the host's filesystem at /host
  if (sub === 'debug' && a.some((x) => /^node\//.test(x))) run.add('infra.docker-host-access', `${call.program} debug ${a.find((x) => /^node\//.test(x))} runs a pod with the node's filesystem mounted`);
  // clearing finalizers lets a resource being deleted go without its cleanup (a stuck namespace and everything in it)
  if ((sub === 'patch' || sub === 'edit' || sub === 'replace') && a.some((x) => /"?finalizers"?\s*:\s*(?:null|\[\s*\])|\/metadata\/finalizers/.test(x)))
    run.add('infra.kubectl-delete', `${call.program} ${sub} clears finalizers: the resource is deleted without its cleanup`);
  if (sub === 'exec' || sub === 'attach' || (sub === 'run' && (a.includes('-it') || a.includes('-i') || a.includes('--stdin')))) {
    const dd = a.indexOf('--');
    const cmd = dd >= 0 ? a.slice(dd + 1) : [];
    if ((a.includes('-it') || a.includes('-ti') || a.includes('-i') || a.includes('--stdin')) && (cmd.length === 0 || /^(?:\/bin\/)?(?:ba|z|da)?sh$/.test(cmd[0] ?? '')) && cmd.length <= 1)
      run.add('exec.interactive', `${call.program} ${sub} opens an interactive shell in a container: input sent with write_stdin is not governed`);
    else if (cmd.length > 0) run.add('net.remote-shell', `${call.program} ${sub} runs ${display(cmd.join(' '))} in a container`);
  }
  // cluster-admin for someone, or a pod with the node's privileges (hostPID/hostNetwork/privileged: root on the node)
  if ((sub === 'create' && /^(?:clusterrolebinding|rolebinding)$/.test(ops[1] ?? '') && a.some((x) => /^--clusterrole(?:=|$)/.test(x)) && a.join(' ').includes('cluster-admin'))
    || ((sub === 'run' || sub === 'debug') && a.some((x) => /"(?:privileged|hostPID|hostNetwork|hostIPC)"\s*:\s*true|--profile(?:=|\s)sysadmin/.test(x))))
    run.add('infra.access-grant', `${call.program} ${sub} grants cluster-admin or runs a privileged pod`);
  if (sub === 'config' && ops[1] === 'view' && a.includes('--raw')) run.add('secrets.credential-store', `${call.program} config view --raw prints cluster credentials`);
  // `-o name`, `-o custom-columns=NAME:.metadata.name`, a jsonpath of names: which secrets exist, not their values
  const namesOnly = (x: string) => /^(?:-o|--output)=?(?:name|custom-columns=[^,]*:\.metadata\.[\w.]+(?:,[^,]*:\.metadata\.[\w.]+)*|jsonpath=\{[^}]*\.metadata\.[\w.]+\})$/.test(x);
  const outputs = a.map((x, i) => (/^(?:-o|--output)$/.test(x) ? `${x}=${a[i + 1] ?? ''}` : x)).filter((x) => /^(?:-o|--output)/.test(x));
  if (sub === 'get' && /^secrets?(?:\/|$)/.test(ops[1] ?? '') && outputs.length > 0 && !outputs.every(namesOnly)) run.add('secrets.credential-store', `${call.program} get secret prints secret values`);
  return UNKNOWN_OUTPUT;
};

const helm: Handler = (call) => {
  const ops = positionals(call.args);
  const sub = ops[0];
  if ((/^(?:install|upgrade|template)$/.test(sub ?? '') && ops.slice(1).some((x) => FROM_URL.test(x) && !x.startsWith('oci://registry'))) || (sub === 'plugin' && ops[1] === 'install'))
    call.exec.run.add('exec.package-from-url', `helm ${ops.slice(0, 2).join(' ')} installs a chart or plugin from a URL`);
  if (/^(?:install|upgrade|rollback)$/.test(sub ?? '') && namesProduction(call.args)) call.exec.run.add('publish.deploy-production', `helm ${sub} changes a release in production`);
  if ((sub === 'uninstall' || sub === 'delete' || sub === 'del' || sub === 'un') && !call.args.includes('--dry-run')) call.exec.run.add('infra.kubectl-delete', `helm ${sub} removes a release`);
  if (sub === 'push') call.exec.run.add('publish.package', 'helm push publishes a chart');
  return UNKNOWN_OUTPUT;
};

/** `terraform`/`tofu`/`terragrunt`/`pulumi`/`cdk`/`serverless`. */
const terraform: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  const ops = positionals(a);
  const sub = ops[0];
  const destroys = sub === 'destroy' || (sub === 'apply' && a.some((x) => x === '-destroy' || x === '--destroy')) || (call.program === 'serverless' || call.program === 'sls') && sub === 'remove' || (sub === 'run-all' && ops[1] === 'destroy');
  // `-target=…` limits the destroy to the resources named: a human looks at which
  if (destroys && a.some((x) => /^-{1,2}target(?:=|$)/.test(x))) run.add('infra.cloud-delete', `${call.program} ${sub} -target destroys the resources it names`);
  else if (destroys) run.add('infra.terraform-destroy', `${call.program} ${sub} destroys infrastructure`);
  else if ((sub === 'apply' || sub === 'up' || sub === 'deploy') && a.some((x) => /^-{1,2}(?:auto-approve|yes|y|skip-preview|require-approval=never)$/.test(x)))
    run.add('infra.terraform-auto-approve', `${call.program} ${sub} changes infrastructure without review`);
  // a saved plan is applied as it stands, without asking
  else if (sub === 'apply' && /^(?:terraform|tofu|terragrunt)$/.test(call.program) && ops.length > 1)
    run.add('infra.terraform-auto-approve', `${call.program} apply ${display(ops[1]!)} applies a saved plan without asking`);
  else if ((sub === 'apply' || sub === 'up') && call.stdin.kind === 'terminal' && !a.some((x) => /\.tfplan$|^-input=false$/.test(x)))
    run.add('exec.interactive', `${call.program} ${sub} asks for confirmation: an answer sent with write_stdin is not governed`);
  else if (sub === 'state' && (ops[1] === 'rm' || ops[1] === 'delete')) run.add('infra.cloud-delete', `${call.program} state ${ops[1]} drops resources from the state`);
  else if (sub === 'state' && ops[1] === 'push') run.add('infra.cloud-delete', `${call.program} state push overwrites the remote state (resources it no longer lists are forgotten)`);
  // breaking another run's lock lets two applies write the state at once
  else if (sub === 'force-unlock' || (call.program === 'pulumi' && sub === 'cancel')) run.add('infra.cloud-delete', `${call.program} ${sub} breaks the state lock another run holds: two runs may then corrupt the state`);
  // values marked sensitive are shown only in these forms; the state holds every secret in clear
  if ((sub === 'output' && (a.some((x) => /^-{1,2}(?:raw|json)$/.test(x)) || (call.program === 'pulumi' && a.some((x) => x === '--show-secrets'))))
    || (sub === 'stack' && ops[1] === 'output' && a.includes('--show-secrets')) || (sub === 'config' && a.includes('--show-secrets'))
    || (sub === 'state' && ops[1] === 'pull') || (sub === 'stack' && ops[1] === 'export' && a.includes('--show-secrets')))
    run.add('secrets.credential-store', `${call.program} ${ops.join(' ')} prints infrastructure outputs or state, secrets included`);
  else if ((sub === 'stack' && /^(?:rm|remove|delete)$/.test(ops[1] ?? '')) || (sub === 'workspace' && ops[1] === 'delete' && a.some((x) => /^-{1,2}force$/.test(x))))
    run.add(a.some((x) => /^-{1,2}(?:force|f|yes|y)$/.test(x)) ? 'infra.terraform-destroy' : 'infra.cloud-delete', `${call.program} ${sub} ${ops[1]} deletes a stack and its state`);
  return UNKNOWN_OUTPUT;
};

const DESTROY_OPS = /^(?:terminate-instances|delete-db-instance|delete-db-cluster|delete-table|delete-bucket|delete-stack|delete-cluster|delete-file-system|delete-repository|delete-vpc|delete-user-pool|delete-hosted-zone|delete-secret|schedule-key-deletion|delete-organization|leave-organization|close-account)$/;

const aws: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  // an emulator on this machine (LocalStack, MinIO): nothing in the cloud is touched
  const endpoint = a.find((x, k) => a[k - 1] === '--endpoint-url') ?? a.find((x) => x.startsWith('--endpoint-url='))?.slice(15);
  const host = endpoint ? urlHost(endpoint) : null;
  if (host !== null && isLoopbackHost(host)) return UNKNOWN_OUTPUT;
  const ops = positionals(a, /^--(?:profile|region|output|endpoint-url|query|color|ca-bundle|cli-read-timeout|cli-connect-timeout|bucket|key|prefix)$/);
  const [svc, op] = ops;
  if (svc === 's3') {
    if (op === 'rm' && a.includes('--recursive')) run.add('infra.cloud-storage-delete', `aws s3 rm --recursive ${display(ops[2] ?? '')} deletes a bucket's objects`);
    else if (op === 'rb') run.add(a.includes('--force') ? 'infra.cloud-storage-delete' : 'infra.cloud-delete', `aws s3 rb ${display(ops[2] ?? '')} removes a bucket`);
    else if (op === 'rm') run.add('infra.cloud-delete', `aws s3 rm deletes ${display(ops[2] ?? 'an object')}`);
    else if (op === 'sync' && a.includes('--delete')) run.add('infra.cloud-delete', 'aws s3 sync --delete deletes objects missing from the source');
    if ((op === 'cp' || op === 'sync' || op === 'mv') && ops[2] && !ops[2].startsWith('s3://')) {
      const ref = pathOf(call, ops[2]);
      const secret = judgeRead(run, ref ? { ...ref, scope: op === 'sync' || a.includes('--recursive') ? 'contents' : 'exact' } : ref, { verb: `aws s3 ${op}` });
      if (ops[3]?.startsWith('s3://')) run.add(secret ? 'exfil.upload-secret' : 'exfil.upload-file', `aws s3 ${op} uploads ${display(ops[2])}`);
    }
  } else if (op && DESTROY_OPS.test(op)) run.add('infra.cloud-destroy', `aws ${svc} ${op} deletes cloud resources irrecoverably`);
  else if (op && /^(?:(?:batch-)?(?:delete|remove)|deregister|purge|revoke|detach|disable)-/.test(op)) run.add('infra.cloud-delete', `aws ${svc} ${op} deletes cloud resources`);
  // DNS records (a change batch may delete the apex) and switched-off protection against deletion
  else if ((svc === 'route53' && op === 'change-resource-record-sets') || a.some((x) => /^--no-(?:disable-api-termination|deletion-protection|termination-protection|enable-termination-protection)$/.test(x)))
    run.add('infra.cloud-delete', `aws ${svc} ${op} ${svc === 'route53' ? 'changes DNS records (deletes among them)' : 'turns off protection against deletion'}`);
  judgeAwsGrant(call, svc ?? '', op ?? '');
  if (svc === 'configure' && op === 'set') judgeAwsConfigureSet(call, ops.slice(2));
  judgeAwsSafetyNets(call, svc ?? '', op ?? '');
  const configKey = positionals(a, /^--(?:profile|region|output)$/)[2] ?? '';
  if ((svc === 'configure' && ((op === 'get' && /key|secret|token|credential/i.test(configKey)) || op === 'export-credentials')) || (svc === 'secretsmanager' && op === 'get-secret-value') || (svc === 'ssm' && /^get-parameters?/.test(op ?? '') && a.includes('--with-decryption')) || (svc === 'sts' && /^(?:get-session-token|get-federation-token|assume-role(?:-with-saml|-with-web-identity)?|assume-root)$/.test(op ?? '')) || (/^ecr(?:-public)?$/.test(svc ?? '') && op === 'get-login-password') || (svc === 'codeartifact' && op === 'get-authorization-token'))
    run.add('secrets.credential-store', `aws ${svc} ${op} prints credentials`);
  return UNKNOWN_OUTPUT;
};

/** Addresses that mean "anyone on the internet". */
const OPEN_TO_ALL = /(?:^|[\s=,"'])(?:0\.0\.0\.0\/0|::\/0)(?:$|[\s,"'])|allUsers|allAuthenticatedUsers|AllUsers|AuthenticatedUsers/;

/** `aws iam attach-user-policy`, `create-access-key`, `s3api put-bucket-acl --acl public-read`, ingress from 0.0.0.0/0. */
function judgeAwsGrant(call: Call, svc: string, op: string): void {
  const a = call.args;
  const text = a.join(' ');
  let what: string | null = null;
  if (svc === 'iam' && /^(?:attach-(?:user|role|group)-policy|put-(?:user|role|group)-policy|create-access-key|create-login-profile|update-login-profile|add-user-to-group|update-assume-role-policy|create-policy-version|set-default-policy-version|add-role-to-instance-profile)$/.test(op)) what = `aws iam ${op} grants access`;
  else if (svc === 's3api' && /^put-(?:bucket|object)-acl$/.test(op) && /public-read|authenticated-read|AllUsers|AuthenticatedUsers/.test(text)) what = `aws s3api ${op} makes data readable by anyone`;
  else if (svc === 's3api' && op === 'delete-public-access-block') what = 'aws s3api delete-public-access-block lets buckets be made public';
  else if (svc === 's3api' && op === 'put-public-access-block' && /=false\b/i.test(text)) what = 'aws s3api put-public-access-block turns off public-access protection';
  else if (svc === 's3api' && op === 'put-bucket-policy' && /"Principal"\s*:\s*(?:"\*"|\{\s*"AWS"\s*:\s*"\*")/.test(text)) what = 'aws s3api put-bucket-policy grants access to anyone';
  else if (svc === 'ec2' && /^authorize-security-group-(?:ingress|egress)$/.test(op) && OPEN_TO_ALL.test(text)) what = `aws ec2 ${op} opens a port to the whole internet`;
  else if (svc === 'lambda' && op === 'add-permission' && /--principal[ =]\*/.test(text)) what = 'aws lambda add-permission lets anyone invoke the function';
  // a presigned URL is a bearer link: whoever holds it downloads the object, nobody is asked
  else if (svc === 's3' && op === 'presign') what = 'aws s3 presign makes a link anyone can use to download the object';
  if (what) call.exec.run.add('infra.access-grant', what);
}

const gsutil: Handler = (call) => {
  const ops = positionals(call.args, /^-(?:o|h|p|u)$/);
  const a = call.args;
  const rec = a.some((x) => /^-[a-zA-Z]*[rRa]/.test(x) && x !== '-m');
  if (ops[0] === 'rm' && rec) call.exec.run.add('infra.cloud-storage-delete', 'gsutil rm -r deletes a bucket or a whole prefix');
  else if (ops[0] === 'rb') call.exec.run.add('infra.cloud-storage-delete', 'gsutil rb removes a bucket');
  else if (ops[0] === 'rm') call.exec.run.add('infra.cloud-delete', 'gsutil rm deletes objects');
  else if (ops[0] === 'rsync' && a.includes('-d')) call.exec.run.add('infra.cloud-delete', 'gsutil rsync -d deletes objects missing from the source');
  if (ops[0] === 'signurl') call.exec.run.add('infra.access-grant', 'gsutil signurl makes a link anyone can use to read the object');
  return UNKNOWN_OUTPUT;
};

const gcloud: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  const ops = positionals(a, /^--(?:project|account|configuration|format|region|zone|flatten|filter|verbosity)$/);
  const line = ops.join(' ');
  if (ops[0] === 'storage' && ops[1] === 'rm' && a.some((x) => x === '-r' || x === '--recursive')) run.add('infra.cloud-storage-delete', 'gcloud storage rm -r deletes a bucket or prefix');
  else if (ops[0] === 'storage' && ops[1] === 'buckets' && ops[2] === 'delete') run.add('infra.cloud-storage-delete', 'gcloud storage buckets delete removes a bucket');
  else if (/^projects delete\b|^sql instances delete\b|^container clusters delete\b|^spanner instances delete\b|^firestore databases delete\b/.test(line)) run.add('infra.cloud-destroy', `gcloud ${line} deletes cloud resources irrecoverably`);
  else if (ops.includes('delete')) run.add('infra.cloud-delete', `gcloud ${line} deletes cloud resources`);
  if (/^auth (?:print-access-token|print-identity-token|application-default print-access-token)|^secrets versions access|^config config-helper\b/.test(line)) run.add('secrets.credential-store', `gcloud ${line} prints credentials`);
  if (/^kms keys versions destroy\b/.test(line)) run.add('infra.cloud-destroy', `gcloud ${line} destroys key material (whatever it encrypted is lost)`);
  if (/\b(?:add-iam-policy-binding|set-iam-policy)\b|^iam service-accounts keys create\b|^storage sign-url\b|^sql users set-password\b/.test(line) || (/^run deploy\b/.test(line) && a.includes('--allow-unauthenticated')) || (/^compute firewall-rules (?:create|update)\b/.test(line) && OPEN_TO_ALL.test(a.join(' '))))
    run.add('infra.access-grant', `gcloud ${line} grants access`);
  if (/^compute ssh\b/.test(line)) {
    run.add('net.outbound', `gcloud ${line} connects to a VM`);
    const i = a.findIndex((x) => x === '--command' || x.startsWith('--command='));
    const cmd = i < 0 ? undefined : a[i]!.includes('=') ? a[i]!.slice(10) : a[i + 1];
    if (cmd) {
      run.add('net.remote-shell', `gcloud compute ssh runs a command on a VM`);
      runRemote(call, cmd, run.zones.home, 'gcloud compute ssh --command');
    } else if (call.stdin.kind === 'terminal') run.add('exec.interactive', 'gcloud compute ssh opens a remote shell: commands sent with write_stdin are not governed');
  }
  judgeGcloudSafetyNets(call, line);
  return UNKNOWN_OUTPUT;
};

const az: Handler = (call) => {
  const run = call.exec.run;
  const ops = positionals(call.args, /^--(?:name|resource-group|subscription|output|query|account-name|container-name|source|n|g|o)$|^-[ngo]$/);
  const line = ops.join(' ');
  if (/^group delete\b|^sql (?:db|server) delete\b|^cosmosdb delete\b|^aks delete\b|^keyvault delete\b/.test(line)) run.add('infra.cloud-destroy', `az ${line} deletes cloud resources irrecoverably`);
  else if (/^storage (?:blob delete-batch|container delete|account delete|fs delete)\b/.test(line)) run.add('infra.cloud-storage-delete', `az ${line} deletes cloud storage`);
  else if (ops.some((x) => x === 'delete' || x === 'delete-batch' || x === 'purge')) run.add('infra.cloud-delete', `az ${line} deletes cloud resources`);
  if (/^account get-access-token|^keyvault secret show/.test(line)) run.add('secrets.credential-store', `az ${line} prints credentials`);
  if (/^role assignment create\b|^ad (?:sp|app) credential reset\b|^ad app permission (?:add|grant)\b|^storage (?:blob|container|account|share|fs|queue|table) generate-sas\b/.test(line) || (/^network nsg rule (?:create|update)\b/.test(line) && /(?:^|\s)(?:\*|0\.0\.0\.0\/0|Internet)(?:\s|$)/.test(call.args.join(' '))))
    run.add('infra.access-grant', `az ${line} grants access`);
  judgeAzSafetyNets(call, line);
  return UNKNOWN_OUTPUT;
};

const rclone: Handler = (call) => {
  const sub = positionals(call.args)[0];
  if (sub === 'purge' || sub === 'delete' || sub === 'rmdirs' || sub === 'deletefile' || sub === 'cleanup') call.exec.run.add('infra.cloud-storage-delete', `rclone ${sub} deletes remote files`);
  else if (sub === 'sync' || sub === 'move') call.exec.run.add('infra.cloud-delete', `rclone ${sub} deletes files at the destination or source`);
  return UNKNOWN_OUTPUT;
};

/** PaaS CLIs: `heroku apps:destroy`, `fly apps destroy`, `vercel remove`, `doctl … delete`. */
const paas: Handler = (call) => {
  const ops = positionals(call.args);
  const line = ops.join(' ');
  // `railway down`: removes the latest deployment
  if (call.program === 'railway' && ops[0] === 'down') call.exec.run.add('infra.cloud-delete', 'railway down removes the deployment');
  if (/\b(?:apps:destroy|destroy|apps destroy|projects? (?:rm|remove|delete)|pg:reset|postgres:reset|redis:reset|db:reset|databases? (?:destroy|delete|reset)|volumes? (?:destroy|delete|rm))\b/.test(line)) call.exec.run.add('infra.cloud-destroy', `${call.program} ${line} destroys an application or its data`);
  else if (ops.some((x) => /^(?:delete|remove|rm|destroy|[a-z-]+:(?:destroy|delete|remove))$/.test(x))) call.exec.run.add('infra.cloud-delete', `${call.program} ${line} deletes cloud resources`);
  if (/^config:unset\b/.test(line)) call.exec.run.add('infra.cloud-delete', `${call.program} ${line} removes an app's settings`);
  if ((call.program === 'vercel' && (ops[0] === undefined || ops[0] === 'deploy') && call.args.includes('--prod')) || (call.program === 'netlify' && ops[0] === 'deploy' && call.args.includes('--prod')))
    call.exec.run.add('publish.deploy-production', `${call.program} deploys to production`);
  // a command run on the app's machines, like `ssh host cmd`
  const remote = call.program === 'heroku' && ops[0] === 'run' ? positionals(call.args, /^-(?:a|r|s|e|-app|-remote|-size|-env|-type)$/).slice(1).join(' ')
    : /^(?:fly|flyctl)$/.test(call.program) && ops[0] === 'ssh' ? call.args[call.args.findIndex((x) => x === '-C' || x === '--command') + 1] : undefined;
  if (remote) {
    call.exec.run.add('net.remote-shell', `${call.program} runs ${display(remote)} on the app's machines`);
    runRemote(call, remote, '/', `${call.program} remote command`);
  }
  if (/\bauth:token\b|\bauth token\b/.test(line)) call.exec.run.add('secrets.credential-store', `${call.program} ${line} prints a token`);
  // an app's config vars are its secrets: database URLs, API keys
  else if ((call.program === 'heroku' && /^config(?::get)?$/.test(ops[0] ?? '')) || (call.program === 'netlify' && /^env:(?:get|list)$/.test(ops[0] ?? '') && call.args.includes('--plain'))
    || (call.program === 'netlify' && ops[0] === 'env:get') || (call.program === 'railway' && /^(?:variables|vars)$/.test(ops[0] ?? '') && !/^(?:set|delete)$/.test(ops[1] ?? '')))
    call.exec.run.add('secrets.credential-store', `${call.program} ${line} prints or saves the app's secret settings`);
  return UNKNOWN_OUTPUT;
};

/** `docker` / `podman` / `nerdctl`. */
const docker: Handler = (call) => {
  const run = call.exec.run;
  const a = call.args;
  const ops = positionals(a, /^-(?:H|c|-host|-context|-config|-log-level)$/);
  let k = 0;
  if (ops[0] === 'compose' || call.program === 'docker-compose') {
    // compose's own options come before the command: `docker compose -f FILE -p NAME down -v`
    const cops = positionals(call.program === 'docker-compose' ? a : a.slice(a.indexOf('compose') + 1), /^-(?:f|p|-file|-project-name|-project-directory|-env-file|-profile|-ansi|-parallel|-progress)$/);
    if (cops[0] === 'down' && a.some((x) => x === '-v' || x === '--volumes')) run.add('infra.docker-prune', `${call.program} compose down -v deletes volumes`);
    if (cops[0] === 'rm' && a.some((x) => x === '-v' || x === '--volumes')) run.add('infra.docker-prune', `${call.program} compose rm -v deletes volumes`);
    if (cops[0] === 'run') judgeMounts(call, 'compose run');
    // a compose file on stdin (`-f -`) is judged as the docker run it amounts to
    if (call.stdin.kind === 'text' && a.some((x, j) => (x === '-f' || x === '--file') && a[j + 1] === '-')) for (const c of composeRunCommands(call.stdin.text)) runCode(call, 'sh', c, `${call.program} compose -f -`);
    // `compose exec` gives the session a terminal unless -T: a bare shell there is interactive
    const cmd = argsAfter(a, cops[0], cops[1]);
    if ((cops[0] === 'exec' || cops[0] === 'run') && cmd !== null && !a.some((x) => x === '-T' || x === '--no-TTY' || x === '-d' || x === '--detach') && call.stdin.kind === 'terminal' && opensRepl(cmd))
      run.add('exec.interactive', `${call.program} compose ${cops[0]} opens an interactive session in a container: input sent with write_stdin is not governed`);
    return UNKNOWN_OUTPUT;
  }
  if (ops[0] === 'container' || ops[0] === 'image' || ops[0] === 'volume' || ops[0] === 'system' || ops[0] === 'network' || ops[0] === 'builder' || ops[0] === 'buildx' || ops[0] === 'plugin') k = 1;
  const group = k === 1 ? ops[0] : undefined;
  const sub = ops[k];
  // `docker image prune` without -a removes only dangling images; `builder prune` only the build cache
  const harmlessPrune = sub === 'prune' && ((group === 'image' && !a.some((x) => x === '-a' || x === '--all' || /^-[a-zA-Z]*a/.test(x))) || group === 'builder' || group === 'buildx');
  if ((sub === 'prune' && !harmlessPrune) || (group === 'volume' && (sub === 'rm' || sub === 'remove'))) run.add('infra.docker-prune', `${call.program} ${group ?? ''} ${sub} deletes Docker ${group === 'volume' ? 'volumes' : 'data'}`.replace(/\s+/g, ' '));
  // `docker rm -f $(docker ps -aq)`: every container (or image), not one named by the agent
  const removes = (group === undefined && (sub === 'rm' || sub === 'rmi')) || ((group === 'container' || group === 'image') && (sub === 'rm' || sub === 'remove'));
  // (a list filtered by name or label, `$(docker ps -aq --filter name=test-)`, is the agent's own pick)
  const filtered = /\$\(\s*(?:docker|podman|nerdctl)\s+(?:container\s+|image\s+)?(?:ps|ls|images)\b[^)]*(?:--filter|\s-f\s)/.test(run.text);
  if (removes && !filtered && call.argWords.some((w) => w.dynamic && !w.text.startsWith('-')))
    run.add('infra.docker-prune', `${call.program} ${ops.slice(0, k + 1).join(' ')} removes a computed list of ${sub === 'rmi' || group === 'image' ? 'images' : 'containers'} (all of them, as written)`);
  else if (removes && (group === undefined || group === 'container') && sub === 'rm' && a.some((x) => x === '--volumes' || /^-[a-zA-Z]*v[a-zA-Z]*$/.test(x)))
    run.add('infra.docker-prune', `${call.program} rm -v deletes the containers' volumes`);
  if (sub === 'push' && group !== 'volume') run.add('publish.package', `${call.program} push publishes an image`);
  if (group === 'system' && sub === 'reset') run.add('infra.docker-prune', `${call.program} system reset deletes every container, image and volume`);
  // `docker inspect --format '{{.Config.Env}}'` prints containers' environments, secrets included
  if (sub === 'inspect' && (group === undefined || group === 'container') && a.some((x, i) => (/^(?:-f|--format)$/.test(a[i - 1] ?? '') || /^--format=/.test(x)) && /\bEnv\b|\{\{\s*json\s+\.Config\s*\}\}/.test(x)))
    run.add('secrets.dump-env', `${call.program} inspect prints the containers' environment variables`);
  if (sub === 'cp') judgeProductionCopy(call, ops.slice(k + 1));
  if (sub === 'build' && group !== 'volume' && group !== 'network') judgeImageBuild(call, a.slice(a.indexOf('build', group ? a.indexOf(group) + 1 : 0) + 1));
  if (group === 'plugin' && sub === 'install' && a.includes('--grant-all-permissions')) run.add('infra.docker-host-access', `${call.program} plugin install --grant-all-permissions runs a plugin with the daemon's privileges`);
  if (sub === 'run' || sub === 'create' || sub === 'exec') {
    judgeContainerHostReach(call, sub);
    // (escape capabilities and host devices, however spelled: judgeContainerHostReach)
    if (a.includes('--privileged') || a.some((x) => /^--(?:pid|net|network|ipc|uts|userns)=host$/.test(x)))
      run.add('infra.docker-host-access', `${call.program} ${sub} gives the container host privileges`);
    judgeMounts(call, sub);
    const interactive = a.some((x) => /^-[a-zA-Z]*i[a-zA-Z]*$/.test(x) && !x.startsWith('--')) || a.includes('--interactive');
    const tail = ops.slice(k + 1);
    const cmd = argsAfter(a, sub, tail[0]) ?? tail.slice(1);
    if (interactive && call.stdin.kind === 'terminal' && (sub === 'exec' ? opensRepl(cmd) : tail.length <= 1 || opensRepl(cmd)))
      run.add('exec.interactive', `${call.program} ${sub} -it opens an interactive session in a container: input sent with write_stdin is not governed`);
    // the command in a running container is judged as one on another machine (its data, its databases)
    else if (sub === 'exec' && cmd.length > 0)
      runRemote(call, cmd.map(shellQuote).join(' '), '/', `${call.program} exec`);
  }
  return UNKNOWN_OUTPUT;
};

/**
 * The arguments after `target`, the first one of that text past `sub`: the container's command as
 * written, option values such as `sh -c "…"` kept (the positional scan drops them). Null when absent.
 */
function argsAfter(args: readonly string[], sub: string | undefined, target: string | undefined): string[] | null {
  if (sub === undefined || target === undefined) return null;
  const at = args.indexOf(target, args.indexOf(sub) + 1);
  return at >= 0 ? args.slice(at + 1) : null;
}

/** Shells and REPLs a container session may open. */
const CONTAINER_SHELLS = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba|z|da|a|fi)?sh$|^(?:python\d?|node|irb|psql|mysql|redis-cli|mongosh?)$/;

/** `sh`, `bash -l`, `psql`: a shell or REPL with nothing to run (`python manage.py migrate`, `psql -c …` run something). */
function opensRepl(cmd: readonly string[]): boolean {
  return CONTAINER_SHELLS.test(cmd[0] ?? '') && cmd.slice(1).every((x) => x.startsWith('-') && x !== '-c' && x !== '-e' && x !== '--command');
}

/** `-v SRC:DST`, `--mount source=…`: host paths handed to a container (`docker run`, `compose run`). */
function judgeMounts(call: Call, sub: string): void {
  const run = call.exec.run;
  for (let i = 0; i < call.argWords.length; i++) {
    const t = call.argWords[i]!.text;
    let spec: string | undefined;
    if (t === '-v' || t === '--volume' || t === '--mount') spec = call.argWords[i + 1]?.text;
    else if (t.startsWith('--volume=') || t.startsWith('--mount=')) spec = t.slice(t.indexOf('=') + 1);
    else if (/^-v./.test(t)) spec = t.slice(2);
    if (!spec) continue;
    const src = /(?:^|,)(?:source|src)=([^,]+)/.exec(spec)?.[1] ?? spec.split(':')[0]!;
    if (!src.startsWith('/') && !src.startsWith('~') && !src.startsWith('.')) continue;
    const ref = pathOf(call, src.startsWith('~') ? run.zones.home + src.slice(1) : src);
    if (!ref) continue;
    if (ref.real === '/' || ref.real === run.zones.home || isSystem(ref.real, run.zones) && /^\/(?:etc|var\/run\/docker\.sock|run\/docker\.sock|root|boot)/.test(ref.real) || /docker\.sock$/.test(ref.real) || HOST_INTERFACE.test(ref.real))
      run.add('infra.docker-host-access', `${call.program} ${sub} mounts ${display(src)} from the host`);
    judgeRead(run, { ...ref, scope: 'contents' }, { verb: `${call.program} ${sub} -v` });
    if (protectedKind(ref.real, run.zones) && !/:ro(?:,|$)|readonly/.test(spec)) run.add('self.write-protected', `${call.program} ${sub} mounts ${display(src)} writable into a container`);
  }
}

/**
 * Deploy CLIs whose subcommands tear down a whole application or stack (`sam delete`,
 * `amplify delete`, `firebase projects:delete`, `eb terminate`, `cf delete-space`).
 */
function teardown(destroy: RegExp, remove: RegExp = /^$/): Handler {
  return (call) => {
    const line = positionals(call.args).join(' ');
    if (destroy.test(line) || destroy.test(call.args.join(' '))) call.exec.run.add('infra.cloud-destroy', `${call.program} ${line} destroys a deployed application, stack or its data`);
    else if (remove.test(line)) call.exec.run.add('infra.cloud-delete', `${call.program} ${line} deletes cloud resources`);
    return UNKNOWN_OUTPUT;
  };
}

const neonTeardown = teardown(/^projects? delete\b/, /\b(?:delete|reset)\b/);

const borgTeardown = teardown(/^$/, /^delete\b/);

const bqTeardown = teardown(/^rm\b.*(?:-r|--recursive)|^rm -[a-z]*r/, /^rm\b/);

const supabaseTeardown = teardown(/^projects delete\b/, /^(?:functions|secrets|branches|storage rm) /);

const wranglerTeardown = teardown(/^(?:d1 delete|r2 bucket delete|kv:namespace delete|kv namespace delete|delete)\b/, /\b(?:delete|rm)\b/);

/** Infrastructure and data handlers, by program name. */
export const INFRA_HANDLERS: Record<string, Handler> = {
  ...DATABASE_HANDLERS,
  ...PRODUCTION_DUMP_HANDLERS,
  kubectl, oc: kubectl, k: kubectl,
  helm,
  terraform, tofu: terraform, terragrunt: terraform, pulumi: terraform, cdk: terraform, serverless: terraform, sls: terraform,
  aws,
  gsutil,
  gcloud,
  az,
  rclone,
  doctl: paas, heroku: paas, flyctl: paas, fly: paas, vercel: paas, netlify: paas, railway: paas, render: paas,
  docker, podman: docker, nerdctl: docker, buildah: (call) => { if (/^(?:bud|build|build-using-dockerfile)$/.test(call.args[0] ?? '')) judgeImageBuild(call, call.args.slice(1)); return UNKNOWN_OUTPUT; }, ctr: docker, 'docker-compose': docker, 'podman-compose': docker,
  sam: teardown(/^delete\b/),
  amplify: teardown(/^delete\b/, /\bremove\b/),
  copilot: teardown(/^(?:app|env) delete\b/, /^\w+ delete\b/),
  eb: teardown(/^terminate\b/),
  firebase: teardown(/^(?:projects:delete|firestore:delete .*(?:--all-collections|-r\b|--recursive)|database:remove \/?$|hosting:disable)/, /:(?:delete|remove)\b/),
  cf: teardown(/^(?:delete-space|delete-org)\b/, /^delete(?:-\w+)?\b/),
  supabase: (call) => {
    if (/^db push\b/.test(positionals(call.args).join(' ')) && call.args.some((x) => x === '--linked' || x.startsWith('--db-url')))
      call.exec.run.add('publish.deploy-production', 'supabase db push changes the linked (remote) database');
    return supabaseTeardown(call);
  },
  'ansible-playbook': (call) => {
    if (namesProduction(call.args)) call.exec.run.add('publish.deploy-production', 'ansible-playbook runs against a production inventory');
    return UNKNOWN_OUTPUT;
  },
  wrangler: (call) => {
    // `wrangler d1 execute DB --command "SQL"`
    const c = call.args.findIndex((x) => x === '--command');
    if (call.args.includes('execute') && c >= 0 && call.args[c + 1]) judgeSql(call, call.args[c + 1]!, 'wrangler d1 execute');
    return wranglerTeardown(call);
  },
  // more clouds, clusters, secret stores and data services: deleting a resource needs a human
  hcloud: teardown(/^$/, /\b(?:delete|rm)\b/), 'linode-cli': teardown(/^$/, /\bdelete\b/), openstack: teardown(/^(?:stack delete|project delete)\b/, /\bdelete\b/),
  eksctl: teardown(/^delete cluster\b/, /^delete\b/), helmfile: teardown(/^(?:destroy|delete)\b/), vultr: teardown(/^$/, /\bdelete\b/), 'vultr-cli': teardown(/^$/, /\bdelete\b/),
  scw: teardown(/^$/, /\bdelete\b/), exo: teardown(/^$/, /\bdelete\b/), influx: teardown(/^bucket delete\b/, /\bdelete\b/),
  stripe: teardown(/^$/, /\bdelete\b/),
  nomad: teardown(/^(?:job stop .*-purge|namespace delete)\b/, /^job stop\b/),
  bq: (call) => {
    // `bq query 'DELETE FROM …'`: the statement is judged like any other client's
    const ops = positionals(call.args, /^--(?:project_id|dataset_id|location|format|parameter|destination_table|max_rows)$/);
    if (ops[0] === 'query' && ops.length > 1) judgeSql(call, ops.slice(1).join(' '), 'bq query');
    return bqTeardown(call);
  },
  neonctl: neonTeardown, neon: neonTeardown,
  upctl: teardown(/^$/, /\bdelete\b/), pscale: teardown(/^database delete\b/, /\bdelete\b/), turso: teardown(/^db destroy\b/, /\b(?:destroy|delete)\b/),
  oci: teardown(/^$/, /\b(?:delete|terminate)\b/), civo: teardown(/^$/, /\b(?:remove|delete|rm)\b/), ibmcloud: teardown(/^$/, /\b(?:delete|rm)\b/),
  sst: teardown(/^remove\b/), flux: teardown(/^$/, /^(?:delete|uninstall)\b/), borg: (call) => { judgeForcedDestroy(call); return borgTeardown(call); },
  argocd: (call) => {
    const line = positionals(call.args).join(' ');
    if (/\bdelete\b/.test(line) || (/^app sync\b/.test(line) && call.args.includes('--prune'))) call.exec.run.add('infra.cloud-delete', `argocd ${line}${call.args.includes('--prune') ? ' --prune' : ''} deletes deployed resources`);
    return UNKNOWN_OUTPUT;
  },
  ...BUILD_TOOL_HANDLERS,
};
