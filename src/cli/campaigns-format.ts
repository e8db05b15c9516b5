import type { CampaignView } from '../app/campaigns.ts';
import { AppError } from '../domain/errors.ts';

/** A campaign id from the command line; anything else is a one-line error. */
export function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new AppError('validation_failed', `campaign id must be a number, not "${text}"`);
  return Number(text);
}

/** One line per campaign for people. */
export function campaignLine(v: CampaignView): string {
  const counts = Object.entries(v.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  return `#${v.id}\t${v.status}\t${v.name}\t${v.template.name}/${v.template.language}\t${counts || `audience ${v.audience_size}`}`;
}
