import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';

describe('settings', () => {
  it('links approvals to the governance server in remote mode unless VAIBOT_DASHBOARD_URL says otherwise', () => {
    expect(loadSettings({ VAIBOT_HOME: '/tmp/x' }).dashboardUrl).toBe('http://127.0.0.1:8787');
    expect(loadSettings({ VAIBOT_HOME: '/tmp/x', VAIBOT_API_URL: 'https://gov.example.test:9443/' }).dashboardUrl).toBe('https://gov.example.test:9443');
    expect(loadSettings({ VAIBOT_HOME: '/tmp/x', VAIBOT_API_URL: 'https://gov.example.test', VAIBOT_DASHBOARD_URL: 'https://approve.example.test' }).dashboardUrl).toBe('https://approve.example.test');
  });

  it('names the bad variable when a URL is not http(s)', () => {
    expect(() => loadSettings({ VAIBOT_HOME: '/tmp/x', VAIBOT_API_URL: 'ftp://x' })).toThrow(/VAIBOT_API_URL must be an http\(s\) URL/);
  });
});
