import { SimpleGrid, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../api/client.ts';
import type { Page, Sender, Summary } from '../api/types.ts';
import { formatCount, formatShare } from '../components/format.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { ActiveCampaigns } from './overview/ActiveCampaigns.tsx';
import { SendersList } from './overview/SendersList.tsx';
import { StatCard } from './overview/StatCard.tsx';

const REFRESH_MS = 15_000;

function localMidnight(): string {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return today.toISOString();
}

/** Today at a glance: what went out and came back since midnight, what is sending now, and the senders. */
export function OverviewPage() {
  const summary = useQuery({
    queryKey: ['summary'],
    queryFn: () => api<Summary>('GET', `/api/v1/summary?since=${encodeURIComponent(localMidnight())}`),
    refetchInterval: REFRESH_MS,
  });
  const senders = useQuery({
    queryKey: ['senders'],
    // Senders may not exist on this server yet: a 404 means "nothing to show", not an error.
    queryFn: () =>
      api<Page<Sender>>('GET', '/api/v1/senders').catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }),
    refetchInterval: REFRESH_MS,
  });

  return (
    <>
      <PageHeader title="Overview" description="Today since midnight, and what is sending now." />
      {summary.error && <QueryError error={summary.error} onRetry={() => summary.refetch()} />}
      {summary.data && <Today summary={summary.data} />}
      {summary.data && (
        <ActiveCampaigns campaigns={summary.data.active_campaigns} scheduled={summary.data.scheduled_campaigns} />
      )}
      {senders.data && senders.data.data.length > 0 && <SendersList senders={senders.data.data} />}
    </>
  );
}

function Today({ summary }: { summary: Summary }) {
  const { sent, delivered, read, failed, replies, opt_outs } = summary.activity;
  return (
    <Stack gap="sm" mb="xl" component="section" aria-labelledby="today-heading">
      <Title order={2} size="h4" id="today-heading">
        Today
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <StatCard label="Sent" value={formatCount(sent)} />
        <StatCard label="Delivered" value={formatCount(delivered)} share={formatShare(delivered, sent)} />
        <StatCard label="Read" value={formatCount(read)} share={formatShare(read, sent)} />
        <StatCard
          label="Failed"
          value={formatCount(failed)}
          share={formatShare(failed, sent)}
          tone={failed > 0 ? 'red' : undefined}
        />
        <StatCard label="Replies" value={formatCount(replies)} />
        <StatCard label="Opt-outs" value={formatCount(opt_outs)} />
      </SimpleGrid>
    </Stack>
  );
}
