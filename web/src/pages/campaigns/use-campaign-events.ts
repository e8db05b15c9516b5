import { useEffect, useState } from 'react';
import type { CampaignDetail } from '../../api/campaigns.ts';

/**
 * The campaign as the server pushes it over server-sent events: once on connecting, then on each
 * change (at most about once a second). EventSource reconnects by itself after a dropped connection.
 */
export function useCampaignEvents(id: string): { view: CampaignDetail | undefined; isLive: boolean } {
  const [view, setView] = useState<CampaignDetail>();
  const [isLive, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/v1/campaigns/${encodeURIComponent(id)}/events`);
    source.addEventListener('progress', (event) => setView(JSON.parse((event as MessageEvent<string>).data)));
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    return () => source.close();
  }, [id]);
  return { view, isLive };
}
