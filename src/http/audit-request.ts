import type { Context } from 'hono';
import { recordAudit } from '../app/audit.ts';
import type { AuditEntry, AuditSource } from '../domain/audit.ts';
import { auditActorOf } from '../domain/principal.ts';
import type { AppEnv, HttpDeps } from './app.ts';
import { clientIp } from './request-info.ts';

/** Who made this request and from where, for the audit log. */
export function auditSourceOf(c: Context<AppEnv>, deps: HttpDeps): AuditSource {
  return { actor: auditActorOf(c.get('principal')), ip: clientIp(c, deps.trustProxy) };
}

/**
 * Records what this request did, as the signed-in user or API key that made it. Call it in the
 * route once the action succeeded: `await auditRequest(c, deps, { action: 'sender.create', target: { type: 'sender', id } })`.
 */
export function auditRequest(
  c: Context<AppEnv>,
  deps: HttpDeps,
  entry: Omit<AuditEntry, 'actor' | 'ip'>,
): Promise<void> {
  return recordAudit(deps.database.db, { ...auditSourceOf(c, deps), ...entry }, deps.clock());
}
