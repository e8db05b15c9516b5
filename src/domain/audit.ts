/** What the audit log records, grouped by what was acted on; add an action here before recording it. */
export const AUDIT_ACTIONS = [
  'session.sign_in',
  'session.sign_in_failed',
  'session.locked',
  'session.sign_out',
  'user.create',
  'user.update',
  'user.disable',
  'user.enable',
  'user.reset_password',
  'user.change_password',
  'api_key.create',
  'api_key.revoke',
  'contacts.import',
  'contact.update',
  'contact.erase',
  'contact.export',
  'contact.opt_out',
  'contact.opt_in',
  'templates.sync',
  'template.create',
  'campaign.create',
  'campaign.start',
  'campaign.pause',
  'campaign.resume',
  'campaign.cancel',
  'campaign.resend_failed',
  'campaign.test_send',
  'sender.create',
  'sender.update',
  'sender.delete',
  'sender.pause',
  'sender.resume',
  'sender.test_send',
  'settings.update',
  'form.create',
  'form.update',
  'form.delete',
  'webhook.create',
  'webhook.delete',
  'data.retention_run',
  'database.backup',
  'database.restore',
] as const;

/** One of AUDIT_ACTIONS, `<what>.<verb>`. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of actor: a signed-in person, a bearer API key, the command line, or Chorus itself. */
export const AUDIT_ACTOR_TYPES = ['user', 'api_key', 'cli', 'system'] as const;

/** One of AUDIT_ACTOR_TYPES. */
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];

/** Who did it: `label` is what people read (an email, a key's name), kept even after the actor is gone. */
export interface AuditActor {
  type: AuditActorType;
  id: string | null;
  label: string;
}

/** What was acted on, e.g. `{ type: 'campaign', id: '12' }`. */
export interface AuditTarget {
  type: string;
  id: string;
}

/** Who acted and from where: what a use case is given to record the entries it makes. */
export interface AuditSource {
  actor: AuditActor;
  /** The client's address for an HTTP request; null from the command line or Chorus itself. */
  ip?: string | null;
}

/** One thing that happened, as the caller records it. */
export interface AuditEntry extends AuditSource {
  action: AuditAction;
  target?: AuditTarget;
  /** Small facts worth keeping (a role, a file name, counts); never secrets or message bodies. */
  details?: Record<string, unknown>;
}

/** Chorus acting on its own (the first admin from the environment, automatic pauses). */
export const SYSTEM_SOURCE: AuditSource = { actor: { type: 'system', id: null, label: 'system' }, ip: null };
