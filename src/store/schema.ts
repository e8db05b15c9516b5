import type { ColumnType, Generated } from 'kysely';
import type { AuditActorType } from '../domain/audit.ts';
import type { MessageStatus } from '../domain/message-status.ts';
import type { Role } from '../domain/roles.ts';

// Column types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL), JSON is stored
// as text so the same queries run on SQLite and PostgreSQL.

/** One person we may message, keyed by an E.164 phone number. */
export interface ContactsTable {
  id: Generated<number>;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  /** JSON object of custom attributes (any extra CSV column). */
  attributes: string;
  /** Projection of the consent ledger: time of the standing marketing grant, or null. */
  marketing_consent_at: number | null;
  /** Projection of the consent ledger: time of the standing utility grant, or null. */
  utility_consent_at: number | null;
  created_at: number;
  updated_at: number;
  /** The import that last wrote this contact, if any. */
  last_import_id: number | null;
}

/** A contact's tags, one row each, so audiences can filter on an index. */
export interface ContactTagsTable {
  contact_id: number;
  tag: string;
}

/** The append-only consent ledger: every grant and revocation with its proof. */
export interface ConsentEventsTable {
  id: Generated<number>;
  contact_id: number;
  action: 'grant' | 'revoke';
  purpose: 'marketing' | 'utility';
  channel: string;
  source: string;
  occurred_at: number;
  recorded_at: number;
  /** JSON: form_url, wording, ip, import_id, import_file, import_row, api_key_id, evidence. */
  proof: string;
}

/** Numbers we must never message; wins over any consent. Erased numbers are not here: see ErasedNumbersTable. */
export interface SuppressionsTable {
  phone: string;
  reason: 'opted_out' | 'blocked' | 'manual';
  source: string;
  created_at: number;
}

/** The salt erased numbers are hashed with: one row, made once by migration 0012, kept with the data. */
export interface ErasureSaltTable {
  id: number;
  /** 32 random bytes, base64. */
  salt: string;
  created_at: number;
}

/** Erased people: only a salted hash of the number (never messaged, never imported again), when, and who asked. */
export interface ErasedNumbersTable {
  id: Generated<number>;
  /** HMAC-SHA256 of the E.164 phone keyed with erasure_salt, hex. */
  phone_hash: string;
  erased_at: number;
  requested_by: string;
}

/** An erased person's message whose send was in flight at the erasure: scrubbed again once answered. */
export interface ErasureFollowupsTable {
  message_id: number;
  /** The stand-in its number was replaced with. */
  stand_in: string;
}

/** How far each retention purge got: every row up to `through_id` is purged. */
export interface RetentionMarksTable {
  name: string;
  through_id: number;
}

/** One contacts import run, referenced by the ledger as proof. */
export interface ImportsTable {
  id: Generated<number>;
  file_name: string;
  started_at: number;
  finished_at: number | null;
  imported: number;
  updated: number;
  invalid: number;
  duplicates: number;
}

/** Bearer API keys, stored only as SHA-256 hashes. */
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  /** The first characters of the key, to recognise it in lists. */
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** What the key may do (roles.ts); keys made before roles existed are admin. */
  role: ColumnType<Role, Role | undefined, Role>;
  /** Who made the key (an email, `cli`, `CHORUS_API_KEY`), for the list. */
  created_by: Nullable<string>;
}

/** A nullable column that may be left out of an insert (it then defaults to null). */
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

/** A WhatsApp sender (a business phone number) and its limits. */
export interface SendersTable {
  id: string;
  phone_number_id: string;
  business_account_id: string;
  rate_per_sec: number;
  daily_limit: number;
  /** Why sending is paused for the whole sender (auth or policy trouble), or null. */
  paused_reason: string | null;
  /** Who paused it: `person`, or `auth` (an authentication failure, cleared by new credentials). */
  paused_by: Nullable<SenderPausedBy>;
  paused_at: Nullable<number>;
  /** A hash of the credentials the sender last ran with, to tell when they change. */
  credentials_hash: Nullable<string>;
  name: Nullable<string>;
  /** Credentials sealed with the process key (credential-box.ts); null for the default sender, whose come from WA_*. */
  access_token_sealed: Nullable<string>;
  app_secret_sealed: Nullable<string>;
  /** A number on the sandbox's built-in simulator: registered there again at each start in sandbox mode. */
  is_sandbox: Generated<number>;
  created_at: Generated<number>;
  /** Removed: kept for its campaigns' history, never sends again. */
  deleted_at: Nullable<number>;
  /** The number as Meta last described it (GET /{phone-number-id}); null until first read. */
  display_phone_number: Nullable<string>;
  verified_name: Nullable<string>;
  /** GREEN, YELLOW, RED (or NA/UNKNOWN). */
  quality_rating: Nullable<string>;
  /** STANDARD (80 msg/s) or HIGH (1,000 msg/s). */
  throughput_level: Nullable<string>;
  /** TIER_250 … TIER_UNLIMITED. */
  messaging_limit_tier: Nullable<string>;
  health_checked_at: Nullable<number>;
  /** Why the last read failed, or null. */
  health_error: Nullable<string>;
  updated_at: number;
}

/** Who paused a sender. */
export type SenderPausedBy = 'person' | 'auth';

/** A message template as last synced from Meta (or the simulator). */
export interface TemplatesTable {
  id: Generated<number>;
  business_account_id: string;
  meta_id: Nullable<string>;
  name: string;
  language: string;
  status: string;
  category: string;
  parameter_format: string;
  /** JSON array of Meta's template components. */
  components: string;
  quality_score: Nullable<string>;
  status_reason: Nullable<string>;
  synced_at: number;
}

/** A campaign: one template, one audience, its params, schedule and options. */
export interface CampaignsTable {
  id: Generated<number>;
  name: string;
  sender_id: string;
  template_id: number;
  /** JSON: the params spec as given (the params mini-language). */
  params: string;
  /** JSON: tags to include/exclude and attribute filters. */
  audience: string;
  /** JSON: send window, frequency cap and similar options. */
  options: string;
  status: 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
  /** Why the campaign is paused (by a person or automatically), or null. */
  status_reason: Nullable<string>;
  audience_size: number;
  scheduled_at: Nullable<number>;
  started_at: Nullable<number>;
  finished_at: Nullable<number>;
  /** Materialisation checkpoint: the last contact id turned into a message row. */
  materialized_through: Nullable<number>;
  is_materialized: number;
  parent_campaign_id: Nullable<number>;
  /** When retention purged the bodies of this finished campaign's messages, or null. */
  bodies_purged_at: Nullable<number>;
  /** The quality guard judges only outcomes from this time on (reset when a person resumes). */
  quality_since: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** Per campaign and second: sends answered (code 0) and failures by Meta error code, for the quality guard. */
export interface CampaignOutcomesTable {
  campaign_id: number;
  second_at: number;
  code: number;
  count: number;
}

/** The outbox: one row per recipient per campaign; it is also the queue. */
export interface MessagesTable {
  id: Generated<number>;
  campaign_id: number;
  contact_id: number;
  phone: string;
  status: MessageStatus;
  /** Why a message was skipped or failed, or what it waits for. */
  status_reason: Nullable<string>;
  /** JSON: the rendered template (parameters filled in and validated). */
  rendered: Nullable<string>;
  /** The recipient's IANA zone, set when the campaign has a send window. */
  time_zone: Nullable<string>;
  attempts: Generated<number>;
  next_attempt_at: number;
  lease_until: Nullable<number>;
  lease_owner: Nullable<string>;
  wamid: Nullable<string>;
  error_code: Nullable<number>;
  error_title: Nullable<string>;
  error_details: Nullable<string>;
  pricing_model: Nullable<string>;
  pricing_category: Nullable<string>;
  billable: Nullable<number>;
  accepted_at: Nullable<number>;
  sent_at: Nullable<number>;
  delivered_at: Nullable<number>;
  read_at: Nullable<number>;
  failed_at: Nullable<number>;
  updated_at: number;
}

/** Every send attempt, with Meta's answer. */
export interface MessageAttemptsTable {
  id: Generated<number>;
  message_id: number;
  attempt: number;
  started_at: number;
  finished_at: number;
  outcome: 'accepted' | 'error' | 'unknown';
  wamid: Nullable<string>;
  error_class: Nullable<string>;
  error_code: Nullable<number>;
  error_subcode: Nullable<number>;
  error_title: Nullable<string>;
  fbtrace_id: Nullable<string>;
  http_status: Nullable<number>;
}

/** Per sender and recipient: when the recipient started counting against the rolling-24 h cap, and the last send. */
export interface RecipientSendsTable {
  sender_id: string;
  phone: string;
  window_started_at: number;
  last_sent_at: number;
}

/** A sender's limiter state shared by every worker (PostgreSQL): next free send slot and the cached 24 h count. */
export interface SenderRateLimitsTable {
  sender_id: string;
  next_slot_ms: Generated<number>;
  last_granted: Generated<number>;
  day_count: Generated<number>;
  day_counted_at: Generated<number>;
  day_oldest_at: Nullable<number>;
}

/** Every status webhook event, stored once per (wamid, status); message_id is null while it waits for its message. */
export interface StatusEventsTable {
  id: Generated<number>;
  wamid: string;
  status: string;
  message_id: Nullable<number>;
  callback_data: Nullable<string>;
  occurred_at: number;
  received_at: number;
  payload: string;
}

/** Messages people sent us. */
export interface InboundMessagesTable {
  id: Generated<number>;
  wamid: string;
  phone: string;
  contact_id: Nullable<number>;
  type: string;
  text: Nullable<string>;
  context_wamid: Nullable<string>;
  campaign_id: Nullable<number>;
  message_id: Nullable<number>;
  /** The business number it was sent to. */
  phone_number_id: Nullable<string>;
  occurred_at: number;
  received_at: number;
  payload: string;
}

/** Webhook events for a phone number (or WABA) no sender has: kept and logged, never applied. */
export interface WebhookUnroutedTable {
  id: Generated<number>;
  received_at: number;
  phone_number_id: string | null;
  business_account_id: string | null;
  kind: string;
  payload: string;
}

/** Status events stored on arrival, waiting to be applied to their messages (one row a POST). */
export interface WebhookInboxTable {
  id: Generated<number>;
  received_at: number;
  event_count: number;
  /** JSON: the batch's StatusEventInput[]. */
  events: string;
  /** Drains that failed with this batch in them. */
  attempts: Generated<number>;
  last_error: string | null;
  /** When the batch was set aside after failing too often: kept, no longer drained. */
  set_aside_at: number | null;
}

/** A person who signs in to the dashboard. */
export interface UsersTable {
  id: Generated<number>;
  /** Lower-cased; unique. */
  email: string;
  name: Nullable<string>;
  role: Role;
  /** `scrypt$N$r$p$salt$key` (app/passwords.ts). */
  password_hash: string;
  /** 1 after an admin set or reset the password: the person must choose their own first. */
  must_change_password: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
  last_sign_in_at: Nullable<number>;
  disabled_at: Nullable<number>;
}

/** A signed-in browser: only the SHA-256 of its cookie's token is stored. */
export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: Nullable<string>;
  user_agent: Nullable<string>;
}

/** Failed sign-ins per account (`email:…`) and per address (`ip:…`), and how long each is locked. */
export interface SignInThrottleTable {
  key: string;
  failures: number;
  first_failed_at: number;
  locked_until: Nullable<number>;
}

/** Who did what, when, from where: append-only. */
export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  actor_type: AuditActorType;
  actor_id: Nullable<string>;
  actor_label: string;
  action: string;
  target_type: Nullable<string>;
  target_id: Nullable<string>;
  /** JSON object of small facts about the action. */
  details: string;
  ip: Nullable<string>;
}

/** A campaign's message sent to one contact as a test, apart from the campaign's own messages. */
export interface TestSendsTable {
  id: Generated<number>;
  campaign_id: number;
  contact_id: number;
  wamid: Nullable<string>;
  error_code: Nullable<number>;
  error_title: Nullable<string>;
  created_at: number;
}

/** The whole database, as Kysely sees it. */
export interface DB {
  senders: SendersTable;
  templates: TemplatesTable;
  campaigns: CampaignsTable;
  campaign_outcomes: CampaignOutcomesTable;
  messages: MessagesTable;
  message_attempts: MessageAttemptsTable;
  recipient_sends: RecipientSendsTable;
  sender_rate_limits: SenderRateLimitsTable;
  status_events: StatusEventsTable;
  inbound_messages: InboundMessagesTable;
  webhook_inbox: WebhookInboxTable;
  webhook_unrouted: WebhookUnroutedTable;
  contacts: ContactsTable;
  contact_tags: ContactTagsTable;
  consent_events: ConsentEventsTable;
  suppressions: SuppressionsTable;
  erasure_salt: ErasureSaltTable;
  erased_numbers: ErasedNumbersTable;
  erasure_followups: ErasureFollowupsTable;
  retention_marks: RetentionMarksTable;
  imports: ImportsTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_throttle: SignInThrottleTable;
  audit_log: AuditLogTable;
  test_sends: TestSendsTable;
}
