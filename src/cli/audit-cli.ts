import os from 'node:os';
import type { Kysely } from 'kysely';
import { recordAudit } from '../app/audit.ts';
import type { AuditEntry, AuditSource } from '../domain/audit.ts';
import type { DB } from '../store/schema.ts';

function systemUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The command line as an audit actor, named by the operating-system user who ran it. */
export function cliAuditSource(): AuditSource {
  return { actor: { type: 'cli', id: null, label: `cli (${systemUser()})` }, ip: null };
}

/** Records what a command did, as the command line. */
export function auditCli(db: Kysely<DB>, entry: Omit<AuditEntry, 'actor' | 'ip'>): Promise<void> {
  return recordAudit(db, { ...cliAuditSource(), ...entry }, Date.now());
}
