import { describe, expect, it } from 'vitest';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { scanSecrets } from '../../src/secrets/scanSecrets.js';

// Fake secrets are assembled at run time so that no literal credential-shaped string sits in the repo.
const alnum = (n: number, seed: string) => createHash('sha512').update(seed).digest('base64').replace(/[^A-Za-z0-9]/g, '').repeat(4).slice(0, n);
const upper = (n: number, seed: string) => alnum(n * 3, seed).toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, n);

const secrets: Array<[string, string]> = [
  ['private-key', ['-----BEGIN OPENSSH PRIVATE ', 'KEY-----\n', alnum(64, 'k1'), '\n', alnum(64, 'k2'), '\n-----END OPENSSH PRIVATE ', 'KEY-----'].join('')],
  ['private-key', ['-----BEGIN RSA PRIVATE ', 'KEY-----\n', alnum(64, 'r1'), '\n-----END RSA PRIVATE ', 'KEY-----'].join('')],
  ['aws-access-key-id', `AKIA${upper(16, 'aws')}`],
  ['aws-secret-access-key', `aws_secret_access_key = ${alnum(40, 'awss')}`],
  ['github-token', `ghp_${alnum(36, 'gh')}`],
  ['github-token', `github_pat_${alnum(82, 'ghpat')}`],
  ['openai-api-key', `sk-proj-${alnum(48, 'oa')}`],
  ['anthropic-api-key', `sk-ant-api03-${alnum(90, 'an')}`],
  ['slack-token', `xoxb-${alnum(24, 'sl')}`],
  ['google-api-key', `AIza${alnum(35, 'g')}`],
  ['stripe-secret-key', `sk_live_${alnum(24, 'st')}`],
  ['npm-token', `npm_${alnum(36, 'npm')}`],
  ['vaibot-key', `vb_agent_${alnum(32, 'vb')}`],
  ['jwt', `eyJ${alnum(20, 'j1')}.eyJ${alnum(30, 'j2')}.${alnum(43, 'j3')}`],
  ['secret-assignment', `DATABASE_PASSWORD=${alnum(18, 'db')}`],
  ['secret-assignment', `export STRIPE_API_KEY="${alnum(30, 'sa')}"`],
  ['secret-assignment', `MY_SERVICE_TOKEN: ${alnum(26, 'tok')}`],
  ['secret-assignment', `"client_secret": "${alnum(32, 'cs')}"`.replace('client_secret', 'CLIENT_SECRET')],
  ['url-credentials', `postgres://app:${alnum(16, 'pg')}@db.internal:5432/app`],
];

const lookAlikes: string[] = [
  createHash('sha256').update('x').digest('hex'),
  createHash('sha1').update('x').digest('hex'),
  `commit ${createHash('sha1').update('c').digest('hex')}`,
  randomUUID(),
  `id: ${randomUUID()}`,
  randomBytes(48).toString('base64'),
  `integrity sha512-${randomBytes(64).toString('base64')}`,
  'PASSWORD=changeme',
  'API_KEY=${API_KEY}',
  'GITHUB_TOKEN=<your token here>',
  'export AWS_SECRET_ACCESS_KEY=xxxxxxxxxxxxxxxx',
  'token: true',
  'SECRET_KEY_BASE_PATH=/usr/local/share/app',
  'password: ********',
  'The API key is configured in settings.',
  'docker pull node:20@sha256:' + createHash('sha256').update('img').digest('hex'),
  'https://example.com/path?page=2',
  'git@github.com:owner/repo.git',
  'total 48\ndrwxr-xr-x  5 user user 4096 Nov 25 20:00 .\n-rw-r--r--  1 user user  220 Nov 25 20:00 .bashrc',
];

describe('secret scanner', () => {
  it.each(secrets)('finds a %s', (kind, text) => {
    const { findings } = scanSecrets(`some output\n${text}\nmore output`);
    expect(findings.map((f) => f.kind)).toContain(kind);
    for (const f of findings) {
      expect(f.sha256).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(JSON.stringify(f)).not.toContain(text.slice(-12));
    }
  });

  it.each(lookAlikes.map((t) => [t.slice(0, 60), t]))('passes a look-alike: %s', (_label, text) => {
    expect(scanSecrets(text).findings).toEqual([]);
  });

  it('scans a bounded prefix of a huge output and says so', () => {
    const big = 'a'.repeat(5 * 1024 * 1024);
    const r = scanSecrets(big, { maxChars: 1024 * 1024 });
    expect(r.truncated).toBe(true);
  });
});
