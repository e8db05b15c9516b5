import { type AttributeFilter, matchesAttributes } from '../domain/audience-filter.ts';
import type { AttributeValue } from '../domain/params.ts';
import { type AudienceContact, type AudienceFilter, countAudience, pageAudience } from '../store/audience-repo.ts';
import type { Database } from '../store/db.ts';

/** A campaign's audience as stored: tags to include and exclude (in SQL), attribute filters (applied here). */
export interface CampaignAudience extends AudienceFilter {
  attributes?: AttributeFilter;
}

/** One page of the audience: the matching contacts, where the next page starts, and whether this was the last. */
export interface AudiencePage {
  contacts: AudienceContact[];
  throughId: number;
  isLast: boolean;
}

/** Reads the audience after contact id `afterId`; the materialiser, the dry run and the count share it. */
export async function pageCampaignAudience(
  database: Database,
  audience: CampaignAudience,
  afterId: number,
  limit: number,
): Promise<AudiencePage> {
  const page = await pageAudience(database, audience, { afterId, limit });
  const filter = audience.attributes ?? {};
  const contacts =
    Object.keys(filter).length === 0
      ? page
      : page.filter((c) => matchesAttributes(JSON.parse(c.attributes) as Record<string, AttributeValue>, filter));
  return { contacts, throughId: page.at(-1)?.id ?? afterId, isLast: page.length < limit };
}

/** How many contacts the audience holds (before consent and policy). */
export async function countCampaignAudience(database: Database, audience: CampaignAudience): Promise<number> {
  if (Object.keys(audience.attributes ?? {}).length === 0) return countAudience(database.db, audience);
  let total = 0;
  for (let afterId = 0; ; ) {
    const page = await pageCampaignAudience(database, audience, afterId, 10_000);
    total += page.contacts.length;
    if (page.isLast) return total;
    afterId = page.throughId;
  }
}
