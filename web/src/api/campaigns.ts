// The campaign endpoints the campaign pages read and call, and the shapes they answer.
import { api } from './client.ts';
import type { Campaign } from './types.ts';

/** Every campaign status, in lifecycle order. */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
// The server's own list, so the two cannot drift apart (a pure module: no Node APIs).
export { MESSAGE_STATUSES } from '../../../src/domain/message-status.ts';

/** A campaign with everything GET /api/v1/campaigns/{id} shows. */
export interface CampaignDetail extends Campaign {
  sender: string;
  scheduled_at: string | null;
  finished_at: string | null;
  created_at: string;
}

/** What POST /api/v1/campaigns, the dry run and the preview take. */
export interface CampaignInput {
  name: string;
  sender: string;
  template: { name: string; language: string };
  params: { body?: string[] | Record<string, string> };
  audience: { tags: string[]; exclude_tags: string[] };
  scheduled_at?: string;
  send_window?: { start: string; end: string };
}

/** The texts a recipient reads. */
export interface MessagePreview {
  header: string | null;
  body: string;
  footer: string | null;
  buttons: string[];
}

/** POST /api/v1/campaigns/preview. */
export interface CampaignPreview {
  template: MessagePreview;
  recipients: {
    contact_id: string;
    phone: string;
    name: string | null;
    eligible: boolean;
    reason: string | null;
    message: MessagePreview | null;
  }[];
}

/** One content finding of the dry run. */
export interface ContentFinding {
  code: string;
  severity: 'error' | 'warning';
  where: string;
  message: string;
  why: string;
}

/** POST /api/v1/campaigns/dry-run. */
export interface DryRun {
  audience: number;
  eligible: number;
  excluded: Record<string, number>;
  examples: Record<string, { phone: string; detail: string }[]>;
  estimated_cost: { currency: string; total: number };
  estimated_duration_seconds: number | null;
  duration_note: string;
  daily_limit: { limit: number; used: number; remaining: number };
  content: ContentFinding[];
  warnings: string[];
}

/** POST /api/v1/campaigns/{id}/test. */
export interface TestSend {
  id: string;
  status: 'accepted' | 'failed';
  wamid: string | null;
  error: { code: number | null; title: string } | null;
  preview: MessagePreview;
}

/** One line of the failure breakdown. */
export interface FailureLine {
  code: number | null;
  count: number;
  class: string | null;
  explanation: string;
  action: string;
  resendable: boolean;
}

/** GET /api/v1/campaigns/{id}/report. */
export interface CampaignReport {
  counts: Record<string, number>;
  total: number;
  failures: FailureLine[];
  skipped: { reason: string; count: number }[];
  timeline: { minute: string; sent: number; delivered: number; read: number; failed: number }[];
  replies: { messages: number; from_numbers: number };
  opt_outs: { numbers: number; by_reply: number; after_message: number };
  cost: {
    currency: string;
    actual: { total: number; billable_messages: number; pricing_unknown: number };
    estimate: { total: number };
  };
}

/** A template as GET /api/v1/templates lists it (the fields the wizard reads). */
export interface TemplateSummary {
  name: string;
  language: string;
  status: string;
  category: string;
  business_account_id: string;
  parameter_format?: string | null;
  components: { type: string; text?: string; format?: string }[];
}

/** A lifecycle action on a campaign. */
export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** Runs a lifecycle action. */
export function changeCampaign(id: string, action: CampaignAction): Promise<CampaignDetail> {
  return api<CampaignDetail>('POST', `/api/v1/campaigns/${id}/${action}`);
}

/** The actions a campaign in `status` allows, in the order the page shows them. */
export function actionsFor(status: Campaign['status']): CampaignAction[] {
  const byStatus: Record<Campaign['status'], CampaignAction[]> = {
    draft: ['start', 'cancel'],
    scheduled: ['pause', 'cancel'],
    running: ['pause', 'cancel'],
    paused: ['resume', 'cancel'],
    completed: [],
    cancelled: [],
  };
  return byStatus[status];
}

/** Messages still on their way out; every other status is settled. */
export function settledOf(campaign: Pick<Campaign, 'counts' | 'total'>): number {
  return campaign.total - (campaign.counts.pending ?? 0) - (campaign.counts.sending ?? 0);
}

/** The badge colour of a campaign status. */
export const STATUS_COLORS: Record<Campaign['status'], string> = {
  draft: 'gray',
  scheduled: 'blue',
  running: 'teal',
  paused: 'yellow',
  completed: 'green',
  cancelled: 'red',
};
