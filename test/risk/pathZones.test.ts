import { describe, expect, it } from 'vitest';
import { isDevice, isSystem, isTemp, makeZones, protectedKind, secretKind, isShellRc } from '../../src/risk/pathZones.js';
import { isApprovalUrl, isLoopbackHost, urlHost } from '../../src/risk/network.js';
import { isSecretVarName } from '../../src/risk/secretNames.js';

const z = makeZones({ home: '/home/u', cwd: '/home/u/proj', vaibotHome: '/home/u/.vaibot', codexHome: '/home/u/.codex' });

describe('path zones', () => {
  it('knows system, temp and device paths', () => {
    expect(isSystem('/etc/hosts')).toBe(true);
    expect(isSystem('/var/tmp/x')).toBe(false);
    expect(isTemp('/tmp/a/b')).toBe(true);
    expect(isTemp('/tmpfoo')).toBe(false);
    expect(isDevice('/dev/sda1')).toBe(true);
    expect(isDevice('/dev/null')).toBe(false);
  });

  it('protects VAIBOT and Codex homes, project policies and project Codex config', () => {
    expect(protectedKind('/home/u/.vaibot/policy.yaml', z)).toBe('vaibot');
    expect(protectedKind('/home/u/.codex/config.toml', z)).toBe('codex');
    expect(protectedKind('/work/repo/.vaibot/policy.yaml', z)).toBe('project-policy');
    expect(protectedKind('/work/repo/.codex/hooks.json', z)).toBe('codex');
    expect(protectedKind('/home/u/.vaibotx', z)).toBeNull();
    expect(protectedKind('/home/u/proj/src/a.ts', z)).toBeNull();
  });

  it('grades secrets', () => {
    expect(secretKind('/home/u/.vaibot/credentials.json', z)).toBe('self-credentials');
    expect(secretKind('/home/u/.ssh/id_rsa', z)).toBe('credentials');
    expect(secretKind('/home/u/.ssh/id_rsa.pub', z)).toBeNull();
    expect(secretKind('/home/u/proj/.env', z)).toBe('dotenv');
    expect(secretKind('/home/u/proj/.env.example', z)).toBeNull();
  });

  it('has no safe workspace when the cwd is home or above', () => {
    expect(makeZones({ home: '/home/u', cwd: '/home/u', vaibotHome: '/v', codexHome: '/c' }).workspace).toBeNull();
    expect(makeZones({ home: '/home/u', cwd: '/', vaibotHome: '/v', codexHome: '/c' }).workspace).toBeNull();
  });

  it('knows shell startup files', () => {
    expect(isShellRc('/home/u/.bashrc', z)).toBe(true);
    expect(isShellRc('/home/u/.config/fish/config.fish', z)).toBe(true);
    expect(isShellRc('/home/u/proj/.bashrc', z)).toBe(false);
  });
});

describe('network and names', () => {
  it('finds hosts and loopback', () => {
    expect(urlHost('https://user@Example.COM:8443/x')).toBe('example.com');
    expect(urlHost('http://[::1]:3000/')).toBe('::1');
    expect(isLoopbackHost('127.0.0.2')).toBe(true);
    expect(isLoopbackHost('localhost.evil.com')).toBe(false);
  });

  it('recognises approval endpoints only under /v2/', () => {
    expect(isApprovalUrl('http://127.0.0.1:8787/v2/approvals/abc/approve')).toBe(true);
    expect(isApprovalUrl('https://gov.example/v2/x/deny?y=1')).toBe(true);
    expect(isApprovalUrl('https://example.com/approve')).toBe(false);
  });

  it('recognises secret-looking variable names', () => {
    for (const n of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'DB_PASSWORD', 'npm_token']) expect(isSecretVarName(n), n).toBe(true);
    for (const n of ['PATH', 'HOME', 'PWD', 'SSH_AUTH_SOCK', 'KEYBOARD_LAYOUT', 'NODE_ENV']) expect(isSecretVarName(n), n).toBe(false);
  });
});
