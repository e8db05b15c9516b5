import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('the first admin and the proxy in the configuration', () => {
  it('reads CHORUS_ADMIN_EMAIL and CHORUS_ADMIN_PASSWORD together', () => {
    const config = loadConfig({ CHORUS_ADMIN_EMAIL: 'ada@shop.test', CHORUS_ADMIN_PASSWORD: 'pw' });
    expect(config.firstAdmin).toEqual({ email: 'ada@shop.test', password: 'pw' });
    expect(loadConfig({}).firstAdmin).toBeUndefined();
    expect(loadConfig({ CHORUS_ADMIN_EMAIL: '', CHORUS_ADMIN_PASSWORD: '' }).firstAdmin).toBeUndefined();
  });

  it('refuses one without the other, and an email that is not one', () => {
    expect(() => loadConfig({ CHORUS_ADMIN_EMAIL: 'ada@shop.test' })).toThrow(
      new ConfigError('set CHORUS_ADMIN_EMAIL and CHORUS_ADMIN_PASSWORD together (only the email is set)'),
    );
    expect(() => loadConfig({ CHORUS_ADMIN_PASSWORD: 'pw' })).toThrow(/only the password is set/);
    expect(() => loadConfig({ CHORUS_ADMIN_EMAIL: 'ada', CHORUS_ADMIN_PASSWORD: 'pw' })).toThrow(
      /CHORUS_ADMIN_EMAIL: must be an email address/,
    );
  });

  it('trusts proxy headers only with CHORUS_TRUST_PROXY=1', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ CHORUS_TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(() => loadConfig({ CHORUS_TRUST_PROXY: 'yes' })).toThrow(/CHORUS_TRUST_PROXY/);
  });
});
