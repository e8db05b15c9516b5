import type { FrequencyCap } from '../domain/audience-policy.ts';
import { parseSendWindow, type SendWindow } from '../domain/send-window.ts';
import type { CampaignInput } from './campaign-input.ts';

/** A campaign's delivery options as stored in `campaigns.options`. */
export interface CampaignOptions {
  /** Quiet hours: send only between start and end in each recipient's local time. */
  sendWindow: SendWindow | null;
  /** At most `maxMessages` marketing messages per contact per `windowMs`, across campaigns. */
  frequencyCap: FrequencyCap | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The options of a campaign request, checked (a window whose start equals its end is refused). */
export function campaignOptionsFrom(input: CampaignInput): CampaignOptions {
  if (input.send_window) parseSendWindow(input.send_window);
  const cap = input.frequency_cap;
  return {
    sendWindow: input.send_window ?? null,
    frequencyCap: cap ? { maxMessages: cap.max_messages, windowMs: cap.per_days * DAY_MS } : null,
  };
}

/** Reads stored options; rows written before an option existed read as "none". */
export function parseCampaignOptions(json: string): CampaignOptions {
  const stored = JSON.parse(json) as Partial<CampaignOptions>;
  return { sendWindow: stored.sendWindow ?? null, frequencyCap: stored.frequencyCap ?? null };
}
