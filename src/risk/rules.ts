import type { RiskFinding } from './assessment.js';
import type { RiskLevel } from './riskLevel.js';

/** The categories rules are grouped in (docs/policy.md lists them; policies can match on them). */
export const RULE_CATEGORIES = [
  'destroy-files',
  'vcs-history',
  'secrets',
  'exfiltration',
  'network',
  'publish',
  'infrastructure',
  'process',
  'persistence',
  'self-protection',
  'execution',
  'parse',
  'tool',
] as const;

/** A rule category. */
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** What a rule is: its category, the level a match implies, and a one-line summary for the docs. */
export interface RuleSpec {
  category: RuleCategory;
  level: RiskLevel;
  summary: string;
}

const r = (category: RuleCategory, level: RiskLevel, summary: string): RuleSpec => ({ category, level, summary });

/**
 * Every rule the classifier can report, by stable id. Each id has one fixed level; where the same
 * operation is worse in some places (deleting in home vs in /tmp), there are separate ids.
 */
export const RULES = {
  // destroy-files
  'fs.rm-root': r('destroy-files', 'dangerous', 'Deletes the filesystem root or everything in it'),
  'fs.rm-home': r('destroy-files', 'dangerous', 'Deletes the home directory (or an ancestor of it) or all of its contents'),
  'fs.rm-system': r('destroy-files', 'dangerous', 'Deletes files in a system directory (/etc, /usr, /bin, /boot, ...)'),
  'fs.rm-home-subtree': r('destroy-files', 'dangerous', 'Recursively deletes a directory in home, outside the workspace'),
  'fs.rm-outside-workspace': r('destroy-files', 'high', 'Deletes files outside the workspace and temporary directories'),
  'fs.rm-workspace-root': r('destroy-files', 'high', 'Deletes the whole workspace (or a directory containing it)'),
  'fs.rm-dynamic-target': r('destroy-files', 'high', 'Recursively deletes a path computed at run time'),
  'fs.shred': r('destroy-files', 'high', 'Irrecoverably overwrites files (shred, wipe, srm)'),
  'fs.shred-outside-workspace': r('destroy-files', 'dangerous', 'Irrecoverably overwrites files outside the workspace'),
  'fs.device-write': r('destroy-files', 'dangerous', 'Writes directly to a block device or to memory'),
  'fs.format-disk': r('destroy-files', 'dangerous', 'Formats or repartitions a disk (mkfs, wipefs, fdisk, parted, ...)'),
  'fs.chmod-recursive-system': r('destroy-files', 'dangerous', 'Recursively changes permissions or owners on /, home or a system directory'),
  'fs.write-system': r('destroy-files', 'high', 'Writes into a system directory'),
  'fs.write-system-critical': r('destroy-files', 'dangerous', 'Overwrites a critical system file (/etc/passwd, /etc/sudoers, /boot, ...)'),
  'fs.erase-history': r('destroy-files', 'high', "Overwrites, truncates or replaces a shell's or client's history file under home, the record of what was run"),
  'fs.erase-logs': r('destroy-files', 'high', 'Deletes system logs or local backups (journalctl --vacuum-*, tmutil deletelocalsnapshots, ...)'),
  'fs.write-home': r('destroy-files', 'high', 'Writes, truncates or replaces a file in home outside the workspace (other projects, documents, tool configuration; ~/.cache excepted)'),
  'fs.write-outside-workspace': r('destroy-files', 'medium', 'Writes a file outside the workspace and temporary directories'),
  // vcs-history
  'vcs.force-push-branch': r('vcs-history', 'high', 'Force-pushes named work branches (not main, master, develop, release or production ones), overwriting their remote history'),
  'vcs.force-push': r('vcs-history', 'dangerous', 'Force-pushes, overwriting history on the remote'),
  'vcs.force-push-lease': r('vcs-history', 'high', 'Force-pushes with a lease (--force-with-lease): overwrites remote history unless someone pushed since the last fetch'),
  'vcs.remote-delete': r('vcs-history', 'high', 'Deletes a branch or tag on the remote'),
  'vcs.reset-hard': r('vcs-history', 'high', 'Discards uncommitted work (git reset --hard)'),
  'vcs.clean-force': r('vcs-history', 'high', 'Deletes untracked files (git clean -f)'),
  'vcs.branch-force-delete': r('vcs-history', 'high', 'Deletes a branch even if unmerged (git branch -D)'),
  'vcs.history-rewrite': r('vcs-history', 'high', 'Rewrites or prunes repository history (filter-branch, filter-repo, reflog expire, gc --prune=now)'),
  'vcs.discard-changes': r('vcs-history', 'high', 'Discards working-tree changes or stashes (checkout -f, checkout/restore ., stash clear)'),
  'vcs.rm-git-dir': r('vcs-history', 'high', 'Deletes a .git directory'),
  // secrets
  'secrets.read-credentials': r('secrets', 'dangerous', 'Reads private keys or credential files (~/.ssh, ~/.aws, ~/.netrc, ...)'),
  'secrets.write-credentials': r('secrets', 'dangerous', 'Writes into a credentials directory (~/.ssh, ~/.aws, ~/.gnupg, ...)'),
  'secrets.read-dotenv': r('secrets', 'high', 'Reads a .env file, a private key file, a shell history, or a config file that often holds a credential'),
  'secrets.print-env-var': r('secrets', 'high', 'Prints a secret-looking environment variable (*_KEY, *_TOKEN, *_SECRET, ...)'),
  'secrets.dump-env': r('secrets', 'high', 'Dumps the whole environment, secrets included'),
  'secrets.credential-store': r('secrets', 'high', 'Reads a secret from a credential store or CLI (keychain, pass, gh auth token, ...)'),
  'secrets.process-memory': r('secrets', 'high', "Attaches to a running process or dumps its memory (gdb -p, gcore, strace -p), which holds its secrets"),
  // exfiltration
  'exfil.upload-file': r('exfiltration', 'high', 'Sends a local file over the network'),
  'exfil.pipe-to-network': r('exfiltration', 'high', 'Sends command output over the network'),
  'exfil.upload-secret': r('exfiltration', 'dangerous', 'Sends secrets over the network'),
  // network
  'net.outbound': r('network', 'high', 'Opens an outbound network connection (curl, wget, ssh, nc, ...)'),
  'net.remote-shell': r('network', 'high', 'Runs a command on another host (ssh host cmd)'),
  'net.flood': r('network', 'dangerous', 'Floods a host to take it down (hping3 --flood, slowloris, ping -f at another host, ...)'),
  'net.scan': r('network', 'high', "Scans other machines' ports (nmap, masscan, zmap, ... aimed beyond this machine)"),
  'net.reverse-shell': r('network', 'dangerous', 'Connects a shell to a remote host (reverse shell, nc -e, /dev/tcp)'),
  // publish
  'publish.package': r('publish', 'high', 'Publishes a package, image or release'),
  'publish.deploy-production': r('publish', 'high', 'Deploys to production: vercel/netlify --prod, supabase db push to the linked project, kubectl/helm changes aimed at a production namespace or context, ansible against a production inventory'),
  // infrastructure
  'infra.kubectl-delete': r('infrastructure', 'high', 'Deletes Kubernetes resources'),
  'infra.kubectl-delete-namespace': r('infrastructure', 'dangerous', 'Deletes Kubernetes namespaces or all resources'),
  'infra.terraform-destroy': r('infrastructure', 'dangerous', 'Destroys infrastructure (terraform/tofu/pulumi/cdk destroy)'),
  'infra.terraform-auto-approve': r('infrastructure', 'high', 'Applies infrastructure changes without review (-auto-approve)'),
  'infra.cloud-storage-delete': r('infrastructure', 'dangerous', 'Recursively deletes cloud storage (s3 rm --recursive, s3 rb, gsutil rm -r, ...)'),
  'infra.cloud-destroy': r('infrastructure', 'dangerous', 'Deletes a cloud project, account-level group, database or instances'),
  'infra.cloud-delete': r('infrastructure', 'high', 'Deletes cloud resources'),
  'infra.access-grant': r('infrastructure', 'high', 'Grants access: IAM roles and policies, new access keys, public bucket ACLs, firewall rules open to the internet, cluster-admin bindings, privileged pods'),
  'infra.sql-drop-database': r('infrastructure', 'dangerous', 'Drops a database or schema through a database client'),
  'infra.production-data': r('infrastructure', 'high', 'Changes data on a database named as production (by host or URL), runs SQL there that cannot be inspected, or dumps its data'),
  'infra.sql-drop-dev-database': r('infrastructure', 'high', 'Drops or resets a test or development database (by its name, or a framework task outside production)'),
  'infra.sql-drop-table': r('infrastructure', 'high', 'Drops or truncates tables, or deletes all rows, through a database client'),
  'infra.nosql-flush': r('infrastructure', 'high', 'Flushes or drops a NoSQL store (redis FLUSHALL, mongo dropDatabase)'),
  'infra.cli-destroy': r('infrastructure', 'high', 'A command-line tool without a handler of its own is asked to delete, destroy or purge something with force, yes, all or recursive'),
  'infra.docker-prune': r('infrastructure', 'high', 'Prunes Docker containers, images or volumes, or removes volumes'),
  'infra.docker-host-access': r('infrastructure', 'high', 'Runs a privileged container or mounts the host root'),
  // process
  'proc.fork-bomb': r('process', 'dangerous', 'Defines a fork bomb'),
  'proc.resource-exhaustion': r('process', 'high', 'Fills the disk or memory on purpose (tens of gigabytes preallocated or copied, an endless stream written to a file, stress tools)'),
  'proc.kill-all': r('process', 'dangerous', 'Kills every process (kill -1)'),
  'proc.cryptominer': r('process', 'high', 'Runs a cryptocurrency miner (xmrig, cpuminer, ...)'),
  'proc.power': r('process', 'high', 'Shuts down or reboots the machine'),
  'proc.privileged': r('process', 'high', 'Runs a command with elevated privileges (sudo, doas, su, pkexec)'),
  'proc.host-config': r('process', 'high', "Changes the running machine: mounts, swap, kernel parameters or modules, firewall, network interfaces or routes, SELinux, clock, hostname"),
  // persistence
  'persist.crontab': r('persistence', 'high', 'Installs, edits or removes cron jobs'),
  'persist.shell-rc': r('persistence', 'high', 'Modifies a shell startup file (~/.bashrc, ~/.zshrc, ~/.profile, ...)'),
  'persist.autostart': r('persistence', 'high', 'Installs something that starts automatically (systemd, launchd, autostart, Python startup files: sitecustomize, usercustomize, site-packages .pth)'),
  'persist.ssh-authorized-keys': r('persistence', 'dangerous', 'Modifies ~/.ssh/authorized_keys'),
  'persist.git-hook': r('persistence', 'high', 'Writes a git hook, which later runs unreviewed'),
  'persist.git-config-command': r('persistence', 'high', 'Writes a git config key that makes git run a command (core.fsmonitor, core.pager, core.sshCommand, !-aliases, diff/filter drivers, core.hooksPath)'),
  'persist.path-shadow': r('persistence', 'high', 'Puts an executable in a directory on PATH, shadowing a command of the same name'),
  'persist.package-manager-code': r('persistence', 'high', "Makes a package manager run code on every invocation (Yarn's yarnPath or a plugin outside the project, npm's script-shell, node-options --require)"),
  'persist.tool-command': r('persistence', 'high', "Configures a tool to run a command on its later invocations (aws credential_process, kubectl exec credentials, go env -w GOFLAGS=-toolexec, codex mcp add)"),
  'persist.user-install': r('persistence', 'high', 'Installs a local package (code the agent can write) user-wide: pip --user, npm -g, yarn global add, cargo install --path, gem install of a local .gem'),
  'persist.package-index': r('persistence', 'high', 'Points a package manager at another registry or index (~/.npmrc, pip.conf, ...), or git at another server (url.*.insteadOf)'),
  // self-protection
  'self.write-protected': r('self-protection', 'dangerous', 'Modifies VAIBOT state, its policy, or the Codex config, hooks or plugins'),
  'self.read-credentials': r('self-protection', 'dangerous', "Reads VAIBOT's credentials or signing keys"),
  'self.approval-verb': r('self-protection', 'dangerous', 'Runs `vaibot approve` or `vaibot deny`: approvals are human acts'),
  'self.approval-endpoint': r('self-protection', 'dangerous', 'Calls a VAIBOT approval endpoint'),
  'self.codex-hooks-disabled': r('self-protection', 'dangerous', 'Launches Codex with hooks disabled, hook trust bypassed, or another CODEX_HOME'),
  'self.agent-instructions': r('self-protection', 'dangerous', "Writes agent instructions (AGENTS.md, CLAUDE.md, .cursorrules, ...) telling later agents to get around VAIBOT"),
  'self.vaibot-env': r('self-protection', 'dangerous', "Exports VAIBOT_* or CODEX_HOME in the agent's shell: a nested Codex or VAIBOT's CLI started from it later would run with the guard's settings changed"),
  'self.vaibot-env-in-rc': r('self-protection', 'dangerous', 'Edits VAIBOT_* settings in a shell startup file'),
  'self.protected-path-arg': r('self-protection', 'high', 'Passes a protected VAIBOT/Codex path to a program that may modify it'),
  'self.guard-admin': r('self-protection', 'dangerous', 'Runs a VAIBOT administration command (install, uninstall, breaker reset): those are human acts'),
  'self.guard-impersonation': r('self-protection', 'dangerous', "Listens on the governance server's port (8787) or starts another governance server (`vaibot serve`): a stand-in there could answer the hooks"),
  'self.ungoverned-agent': r('self-protection', 'dangerous', 'Launches another coding agent with its own permission checks switched off, outside VAIBOT'),
  // execution
  'exec.download-then-exec': r('execution', 'dangerous', 'Runs code downloaded from the network'),
  'exec.decode-then-exec': r('execution', 'dangerous', 'Runs code that was decoded or de-obfuscated at run time'),
  'exec.dynamic-command': r('execution', 'high', 'Runs a command whose name is computed at run time'),
  'exec.dynamic-code': r('execution', 'high', 'Evaluates code computed at run time (eval, exec, os.system(var))'),
  'exec.stdin-script-unknown': r('execution', 'high', 'A shell or interpreter runs a script read from stdin that cannot be inspected'),
  'exec.interactive': r('execution', 'high', 'Starts an interactive shell or REPL: input later sent with write_stdin is not governed'),
  'exec.planted-dangerous-code': r('execution', 'high', 'Writes source code that, when the project runs, would do what is denied as a command (delete home, send secrets away, run downloaded code)'),
  'exec.ci-script-injection': r('execution', 'high', "Writes a CI workflow step whose script pastes in text an outsider writes (an issue title, a comment, a branch name): they run commands with the workflow's token and secrets"),
  'exec.ci-untrusted-checkout': r('execution', 'high', "Writes a CI workflow that checks out a pull request's code and runs it where the repository's secrets and write token are (pull_request_target, workflow_run)"),
  'exec.cloned-code': r('execution', 'high', 'Runs a script or the build of a repository cloned from the network earlier in the same command'),
  'exec.package-from-url': r('execution', 'high', "Installs a package from a URL, a git repository, a GitHub shorthand or an index other than the ecosystem's registry (its install scripts run)"),
  'exec.session-written-file': r('execution', 'low', 'Runs a file written earlier in this session: judged by its content'),
  'exec.session-modified-file': r('execution', 'high', 'A build or test tool runs a file the agent changed in a way that cannot be inspected (sed -i, an append, a generated file)'),
  // parse
  'parse.unparseable': r('parse', 'high', 'The command could not be fully parsed'),
  'parse.depth-exceeded': r('parse', 'high', 'Commands nested deeper than the classifier follows'),
  'parse.budget-exceeded': r('parse', 'high', 'The command is too large to classify completely'),
  'parse.parser-unavailable': r('parse', 'high', 'The shell parser could not be loaded'),
  // tool
  'tool.unknown': r('tool', 'medium', 'A tool the classifier does not know'),
  'tool.mcp': r('tool', 'low', 'An MCP tool call'),
  'tool.mcp-destructive': r('tool', 'high', 'An MCP tool whose name or arguments look destructive'),
} as const satisfies Record<string, RuleSpec>;

/** A rule id the classifier can report. */
export type RuleId = keyof typeof RULES;

/** Build a finding for a rule with a case-specific reason. */
export function finding(ruleId: RuleId, reason: string): RiskFinding {
  const spec: RuleSpec = RULES[ruleId];
  return { ruleId, category: spec.category, level: spec.level, reason };
}
