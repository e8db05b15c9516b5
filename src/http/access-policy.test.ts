import { describe, expect, it } from 'vitest';
import { isPublicRoute, requiredRole } from './access-policy.ts';

describe('the access policy', () => {
  it.each([
    ['GET', '/api/v1/contacts', 'viewer'],
    ['GET', '/api/v1/campaigns/3/report.csv', 'viewer'],
    ['GET', '/api/v1/senders', 'viewer'],
    ['GET', '/api/v1/summary', 'viewer'],
    ['POST', '/api/v1/contacts/import', 'operator'],
    ['DELETE', '/api/v1/contacts/%2B4915112345678', 'operator'],
    ['POST', '/api/v1/campaigns/3/start', 'operator'],
    ['POST', '/api/v1/templates/sync', 'operator'],
    ['POST', '/api/v1/forms', 'operator'],
    ['POST', '/api/v1/senders', 'admin'],
    ['PATCH', '/api/v1/senders/default', 'admin'],
    ['POST', '/api/v1/senders/default/test', 'operator'],
    ['POST', '/api/v1/senders/default/test/x', 'admin'],
    ['POST', '/api/v1/webhooks', 'admin'],
    ['GET', '/api/v1/users', 'admin'],
    ['GET', '/api/v1/api-keys', 'admin'],
    ['GET', '/api/v1/audit', 'admin'],
    ['GET', '/api/v1/audit.csv', 'admin'],
    ['PUT', '/api/v1/settings', 'admin'],
    ['GET', '/api/v1/me', 'viewer'],
    ['POST', '/api/v1/me/password', 'viewer'],
    ['DELETE', '/api/v1/session', 'viewer'],
  ])('%s %s needs %s', (method, path, role) => {
    expect(requiredRole(method, path)).toBe(role);
  });

  it('does not mistake a look-alike path for an admin area', () => {
    expect(requiredRole('GET', '/api/v1/usersettings')).toBe('viewer');
    expect(requiredRole('GET', '/api/v1/auditors')).toBe('viewer');
  });

  it('opens only sign-in and the first-run set-up to anyone', () => {
    expect(isPublicRoute('POST', '/api/v1/session')).toBe(true);
    expect(isPublicRoute('GET', '/api/v1/setup')).toBe(true);
    expect(isPublicRoute('POST', '/api/v1/setup')).toBe(true);
    expect(isPublicRoute('DELETE', '/api/v1/session')).toBe(false);
    expect(isPublicRoute('GET', '/api/v1/session')).toBe(false);
    expect(isPublicRoute('GET', '/api/v1/me')).toBe(false);
  });
});
