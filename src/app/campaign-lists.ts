import type { MessageStatus } from '../domain/message-status.ts';
import { pageCampaignMessages } from '../store/campaign-messages-repo.ts';
import { type CampaignStatus, listCampaigns } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { type CampaignView, requireCampaign, viewCampaign } from './campaigns.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';
import { iso } from './iso-time.ts';

/** Campaigns newest first, with counts, optionally of one status. */
export async function listCampaignViews(
  database: Database,
  page: { cursor?: string; limit: number; status?: CampaignStatus },
): Promise<Page<CampaignView>> {
  const beforeId = decodeCursor(page.cursor);
  const rows = await listCampaigns(database.db, {
    beforeId: beforeId === 0 ? undefined : beforeId,
    limit: page.limit + 1,
    status: page.status,
  });
  const { data, next_cursor } = toPage(rows, page.limit, (pageRows) => pageRows);
  return { data: await Promise.all(data.map((r) => viewCampaign(database, r.id))), next_cursor };
}

/** A message as the API shows it. */
export interface MessageView {
  id: string;
  phone: string;
  name: string | null;
  status: MessageStatus;
  status_reason: string | null;
  wamid: string | null;
  attempts: number;
  error: { code: number | null; title: string | null; details: string | null } | null;
  accepted_at: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
}

/** A campaign's messages in id order, optionally of one status. */
export async function listCampaignMessages(
  database: Database,
  campaignId: number,
  page: { cursor?: string; limit: number; status?: MessageStatus },
): Promise<Page<MessageView>> {
  await requireCampaign(database, campaignId);
  const rows = await pageCampaignMessages(database.db, {
    campaignId,
    afterId: decodeCursor(page.cursor),
    limit: page.limit + 1,
    status: page.status,
  });
  return toPage(rows, page.limit, (pageRows) =>
    pageRows.map((m) => ({
      id: String(m.id),
      phone: m.phone,
      name: [m.first_name, m.last_name].filter(Boolean).join(' ') || null,
      status: m.status,
      status_reason: m.status_reason,
      wamid: m.wamid,
      attempts: m.attempts,
      error:
        m.error_code === null && m.error_title === null
          ? null
          : { code: m.error_code, title: m.error_title, details: m.error_details },
      accepted_at: iso(m.accepted_at),
      sent_at: iso(m.sent_at),
      delivered_at: iso(m.delivered_at),
      read_at: iso(m.read_at),
      failed_at: iso(m.failed_at),
    })),
  );
}
