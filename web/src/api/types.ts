// The shapes the dashboard reads from the API (see /api/openapi.json for the full document).

/** A role, least to most. */
export type Role = 'viewer' | 'operator' | 'admin';
/** The roles, in order, for pickers. */
export const ROLES: Role[] = ['viewer', 'operator', 'admin'];

/** One page of a list. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** A dashboard user. */
export interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  status: 'active' | 'disabled';
  must_change_password: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  locked_until: string | null;
}

/** GET /api/v1/me. */
export interface Me {
  kind: 'user' | 'api_key';
  role: Role;
  user: User | null;
  csrf_token: string | null;
  sandbox: boolean;
}

/** POST /api/v1/session and /api/v1/setup. */
export interface SignedIn {
  user: User;
  csrf_token: string;
  expires_at: string;
}

/** A user with the password generated for them, shown once. */
export interface UserWithPassword {
  user: User;
  temporary_password: string | null;
}

/** An API key as listed. */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** A campaign with its counts per message status. */
export interface Campaign {
  id: string;
  name: string;
  status: 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
  status_reason: string | null;
  template: { name: string; language: string };
  audience_size: number;
  counts: Record<string, number>;
  total: number;
  started_at: string | null;
}

/** GET /api/v1/summary. */
export interface Summary {
  since: string;
  activity: { sent: number; delivered: number; read: number; failed: number; replies: number; opt_outs: number };
  active_campaigns: Campaign[];
  scheduled_campaigns: number;
}

/** A sender as GET /api/v1/senders lists it (the fields the overview shows). */
export interface Sender {
  id: string;
  name?: string;
  phone_number_id?: string;
  status?: string;
  status_reason?: string | null;
  mps?: number;
  daily_limit?: number;
  quality_rating?: string | null;
  business_account_id?: string;
  display_phone_number?: string | null;
  verified_name?: string | null;
  throughput_level?: string | null;
  messaging_limit_tier?: string | null;
  health_checked_at?: string | null;
  health_error?: string | null;
  configured_by?: 'environment' | 'api';
  is_sandbox?: boolean;
  app_secret?: 'set' | null;
}

/** GET /api/v1/settings/webhook: what to paste into Meta's app settings. */
export interface WebhookSettings {
  url: string;
  verify_token: string | null;
  app_secret_set: boolean;
}

/** One audit log entry. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { type: 'user' | 'api_key' | 'cli' | 'system'; id: string | null; label: string };
  action: string;
  target: { type: string; id: string } | null;
  details: Record<string, unknown>;
  ip: string | null;
}

/** A contact as the API shows it. */
export interface Contact {
  phone: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  tags: string[];
  attributes: Record<string, string>;
  consent: { marketing: string | null; utility: string | null };
  suppressed: string | null;
  created_at: string;
  updated_at: string;
}

/** POST /api/v1/contacts/import: what the import did; `row` is the file line (the header is line 1). */
export interface ImportReport {
  imported: number;
  updated: number;
  invalid: number;
  duplicates: number;
  errors: { row: number; reason: string }[];
}

/** One entry of a contact's consent ledger. */
export interface ConsentEntry {
  action: string;
  purpose: string;
  source: string;
  channel: string;
  at: string;
  recorded_at: string;
  proof: Record<string, unknown>;
}

/** A message sent to a contact, as GET /api/v1/contacts/{phone}/messages lists it. */
export interface ContactMessage {
  campaign: { id: string; name: string; sender: string };
  template: { name: string; language: string; category: string };
  status: string;
  status_reason: string | null;
  error: { code: number; title: string | null; details: string | null } | null;
  accepted_at: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  updated_at: string | null;
}

/** A message a contact sent us. */
export interface ContactReply {
  wamid: string;
  type: string;
  text: string | null;
  campaign_id: string | null;
  at: string;
}
