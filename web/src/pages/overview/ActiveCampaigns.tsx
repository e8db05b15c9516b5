import { Anchor, Badge, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import type { Campaign } from '../../api/types.ts';
import { formatCount, formatShare } from '../../components/format.ts';

// Messages in these statuses are still on their way out; every other status is settled for progress.
const WAITING = ['pending', 'sending'];

function progressOf(campaign: Campaign): { done: number; total: number } {
  const waiting = WAITING.reduce((sum, status) => sum + (campaign.counts[status] ?? 0), 0);
  return { done: campaign.total - waiting, total: campaign.total };
}

/** The running and paused campaigns with how far each has got. */
export function ActiveCampaigns({ campaigns, scheduled }: { campaigns: Campaign[]; scheduled: number }) {
  return (
    <Stack gap="sm" mb="xl" component="section" aria-labelledby="active-heading">
      <Title order={2} size="h4" id="active-heading">
        Sending now
      </Title>
      {campaigns.length === 0 ? (
        <Text c="dimmed">No campaign is running.{scheduled > 0 ? ` ${formatCount(scheduled)} scheduled.` : ''}</Text>
      ) : (
        campaigns.map((campaign) => <CampaignProgress key={campaign.id} campaign={campaign} />)
      )}
    </Stack>
  );
}

function CampaignProgress({ campaign }: { campaign: Campaign }) {
  const { done, total } = progressOf(campaign);
  const percent = total > 0 ? (done / total) * 100 : 0;
  const delivered = (campaign.counts.delivered ?? 0) + (campaign.counts.read ?? 0);
  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Anchor component={Link} to={`/campaigns/${campaign.id}`} fw={600}>
          {campaign.name}
        </Anchor>
        <Badge color={campaign.status === 'paused' ? 'yellow' : 'teal'} variant="light">
          {campaign.status}
        </Badge>
      </Group>
      <Progress
        value={percent}
        aria-label={`${campaign.name}: ${formatCount(done)} of ${formatCount(total)} messages settled`}
      />
      <Text size="sm" c="dimmed" mt="xs">
        {formatCount(done)} of {formatCount(total)} settled · {formatCount(delivered)} delivered{' '}
        {formatShare(delivered, total) && `(${formatShare(delivered, total)})`} ·{' '}
        {formatCount(campaign.counts.failed ?? 0)} failed
        {campaign.status_reason ? ` · ${campaign.status_reason}` : ''}
      </Text>
    </Paper>
  );
}
