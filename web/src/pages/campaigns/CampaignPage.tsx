import { Alert, Anchor, Badge, Button, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  actionsFor,
  type CampaignAction,
  type CampaignDetail,
  type CampaignReport,
  changeCampaign,
  MESSAGE_STATUSES,
  STATUS_COLORS,
} from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatCount, formatDateTime, formatShare } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { StatCard } from '../overview/StatCard.tsx';
import { FunnelChart, funnelOf, TimelineChart } from './CampaignCharts.tsx';
import { CampaignMessages } from './CampaignMessages.tsx';
import { CampaignOutcomes } from './CampaignOutcomes.tsx';
import { useCampaignEvents } from './use-campaign-events.ts';

// The report (failures, timeline, replies, cost) costs more than the counts: it follows the live
// counts, but at most this often.
const REPORT_EVERY_MS = 5_000;
const ACTION_LABELS: Record<CampaignAction, string> = {
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
};

/** One campaign live: counts by status over server-sent events, funnel, timeline, failures, and its actions. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { view: live, isLive } = useCampaignEvents(id);
  const report = useQuery({
    queryKey: ['campaign-report', id],
    queryFn: () => api<CampaignReport & { campaign: CampaignDetail }>('GET', `/api/v1/campaigns/${id}/report`),
  });
  useReportFollowsCounts(id, live);
  const campaign = live ?? report.data?.campaign;

  if (report.error && !campaign) return <QueryError error={report.error} onRetry={() => report.refetch()} />;
  if (!campaign) return <Text>Loading…</Text>;
  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <>
            {campaign.template.name} ({campaign.template.language}) · sender {campaign.sender} ·{' '}
            {formatCount(campaign.audience_size)} contacts · created {formatDateTime(campaign.created_at)}
          </>
        }
        actions={<CampaignActions campaign={campaign} report={report.data} />}
      />
      <Stack gap="lg">
        <Group gap="sm">
          <Badge size="lg" color={STATUS_COLORS[campaign.status]} variant="light">
            {campaign.status}
          </Badge>
          <Text size="sm" c="dimmed" aria-live="polite">
            {isLive ? 'Live' : 'Reconnecting…'}
            {campaign.started_at && ` · started ${formatDateTime(campaign.started_at)}`}
            {campaign.finished_at && ` · finished ${formatDateTime(campaign.finished_at)}`}
            {campaign.status === 'scheduled' && ` · starts ${formatDateTime(campaign.scheduled_at)}`}
          </Text>
        </Group>
        {campaign.status_reason && (
          <Alert color="yellow" title="Why it waits">
            {campaign.status_reason}
          </Alert>
        )}
        <StatusCounts campaign={campaign} />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <FunnelChart stages={funnelOf(campaign.counts, report.data?.replies.from_numbers ?? 0)} />
          <TimelineChart timeline={report.data?.timeline ?? []} />
        </SimpleGrid>
        {report.data && <CampaignOutcomes report={report.data} />}
        <CampaignMessages campaignId={campaign.id} />
      </Stack>
    </>
  );
}

/** Each message status by its name with its count and share, announced as it changes. */
function StatusCounts({ campaign }: { campaign: CampaignDetail }) {
  return (
    <section aria-labelledby="counts-heading">
      <Title order={2} size="h4" id="counts-heading" mb="sm">
        Messages by status
      </Title>
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 8 }}>
        {MESSAGE_STATUSES.map((status) => (
          <StatCard
            key={status}
            label={status}
            value={formatCount(campaign.counts[status] ?? 0)}
            share={formatShare(campaign.counts[status] ?? 0, campaign.total)}
            tone={status === 'failed' && (campaign.counts.failed ?? 0) > 0 ? 'red' : undefined}
          />
        ))}
      </SimpleGrid>
      <Text size="sm" c="dimmed" mt="xs">
        {formatCount(campaign.total)} messages in all.
      </Text>
    </section>
  );
}

/** Re-reads the report when the pushed counts change, no more than once per REPORT_EVERY_MS. */
function useReportFollowsCounts(id: string, live: CampaignDetail | undefined) {
  const queryClient = useQueryClient();
  const lastMs = useRef(0);
  const key = live ? JSON.stringify([live.status, live.counts]) : '';
  useEffect(() => {
    if (!key) return;
    const waitMs = Math.max(0, lastMs.current + REPORT_EVERY_MS - Date.now());
    const timer = setTimeout(() => {
      lastMs.current = Date.now();
      void queryClient.invalidateQueries({ queryKey: ['campaign-report', id] });
      void queryClient.invalidateQueries({ queryKey: ['campaign-messages', id] });
    }, waitMs);
    return () => clearTimeout(timer);
  }, [key, id, queryClient]);
}

function CampaignActions({ campaign, report }: { campaign: CampaignDetail; report: CampaignReport | undefined }) {
  const navigate = useNavigate();
  const [isCancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (action: CampaignAction) => {
    setBusy(action);
    try {
      await changeCampaign(campaign.id, action);
      notifyDone(`${ACTION_LABELS[action]}: done`);
    } catch (error) {
      notifyFailure(error);
    } finally {
      setBusy(null);
    }
  };
  const resendable = report?.failures.filter((f) => f.resendable).reduce((n, f) => n + f.count, 0) ?? 0;
  const resend = async () => {
    setBusy('resend');
    try {
      const made = await api<{ campaign: CampaignDetail }>('POST', `/api/v1/campaigns/${campaign.id}/resend-failed`);
      notifyDone('A follow-up draft to the retryable failures is ready: check it, then start it');
      navigate(`/campaigns/${made.campaign.id}`);
    } catch (error) {
      notifyFailure(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      {actionsFor(campaign.status).map((action) => (
        <Button
          key={action}
          variant={action === 'cancel' ? 'outline' : 'filled'}
          color={action === 'cancel' ? 'red' : action === 'pause' ? 'yellow' : undefined}
          loading={busy === action}
          onClick={() => (action === 'cancel' ? setCancelling(true) : void run(action))}
        >
          {ACTION_LABELS[action]}
        </Button>
      ))}
      {resendable > 0 && (
        <Button variant="default" loading={busy === 'resend'} onClick={() => void resend()}>
          Resend to failed ({formatCount(resendable)})
        </Button>
      )}
      <Anchor href={`/api/v1/campaigns/${campaign.id}/report.csv`} download>
        Report (CSV)
      </Anchor>
      <Anchor component={Link} to="/campaigns">
        All campaigns
      </Anchor>
      {isCancelling && (
        <ConfirmModal
          title={`Cancel “${campaign.name}”?`}
          message="Messages not sent yet are never sent; those already sent stay as they are. This cannot be undone."
          confirmLabel="Cancel the campaign"
          onConfirm={async () => {
            await run('cancel');
            setCancelling(false);
          }}
          onClose={() => setCancelling(false)}
        />
      )}
    </>
  );
}
