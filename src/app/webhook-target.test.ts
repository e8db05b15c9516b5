import { describe, expect, it } from 'vitest';
import { isInternalAddress, webhookUrlProblem } from './webhook-target.ts';

describe('webhook targets', () => {
  it('knows private, loopback, link-local and mapped addresses from public ones', () => {
    for (const internal of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
    ])
      expect(isInternalAddress(internal), internal).toBe(true);
    for (const external of ['93.184.216.34', '2606:2800:220:1::1', '172.32.0.1'])
      expect(isInternalAddress(external), external).toBe(false);
  });

  it('refuses non-http URLs always, and private targets unless allowed', () => {
    expect(webhookUrlProblem('ftp://example.com/x', true)).toMatch(/http or https/);
    expect(webhookUrlProblem('not a url', true)).toMatch(/not a URL/);
    expect(webhookUrlProblem('http://127.0.0.1:9/in', false)).toMatch(/private network/);
    expect(webhookUrlProblem('http://localhost/in', false)).toMatch(/private network/);
    expect(webhookUrlProblem('http://[::1]/in', false)).toMatch(/private network/);
    expect(webhookUrlProblem('http://127.0.0.1:9/in', true)).toBeNull();
    expect(webhookUrlProblem('https://hooks.example.com/chorus', false)).toBeNull();
  });
});
