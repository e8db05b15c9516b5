import { Anchor, Badge, Button, Group, Progress, Select, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { CAMPAIGN_STATUSES, type CampaignDetail, STATUS_COLORS, settledOf } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { formatCount, formatDateTime, formatShare } from '../../components/format.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';

const PAGE_SIZE = 25;
const REFRESH_MS = 15_000;

/** Every campaign newest first, with how far each got; filters by status, pages on the server. */
export function CampaignsPage() {
  const [status, setStatus] = useState<string | null>(null);
  const campaigns = useInfiniteQuery({
    queryKey: ['campaigns', status],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<Page<CampaignDetail>>(
        'GET',
        `/api/v1/campaigns?limit=${PAGE_SIZE}${status ? `&status=${status}` : ''}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  const rows = campaigns.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Every campaign, newest first. Open one to watch it live."
        actions={
          <Button component={Link} to="/campaigns/new" leftSection={<IconPlus size={16} aria-hidden="true" />}>
            New campaign
          </Button>
        }
      />
      <Group mb="md">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={[...CAMPAIGN_STATUSES]}
          value={status}
          onChange={setStatus}
          w={200}
        />
      </Group>
      {campaigns.error && <QueryError error={campaigns.error} onRetry={() => campaigns.refetch()} />}
      {campaigns.data && rows.length === 0 && (
        <Text c="dimmed">{status ? `No ${status} campaign.` : 'No campaign yet: start with New campaign.'}</Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>
              <VisuallyHidden>Campaigns</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Campaign</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Progress</Table.Th>
                <Table.Th>Delivered · read · failed</Table.Th>
                <Table.Th>Sender</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((campaign) => (
                <CampaignRow key={campaign.id} campaign={campaign} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {campaigns.hasNextPage && (
        <Button
          variant="default"
          mt="md"
          loading={campaigns.isFetchingNextPage}
          onClick={() => campaigns.fetchNextPage()}
        >
          Show more
        </Button>
      )}
    </>
  );
}

function CampaignRow({ campaign }: { campaign: CampaignDetail }) {
  const settled = settledOf(campaign);
  const total = campaign.total || campaign.audience_size;
  const delivered = (campaign.counts.delivered ?? 0) + (campaign.counts.read ?? 0);
  const read = campaign.counts.read ?? 0;
  const failed = campaign.counts.failed ?? 0;
  const share = (n: number) => (campaign.total > 0 ? ` (${formatShare(n, campaign.total)})` : '');
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/campaigns/${campaign.id}`} fw={600}>
          {campaign.name}
        </Anchor>
        <Text size="xs" c="dimmed">
          {campaign.template.name} · {formatCount(campaign.audience_size)} contacts
        </Text>
      </Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLORS[campaign.status]} variant="light">
          {campaign.status}
        </Badge>
        {campaign.status === 'scheduled' && (
          <Text size="xs" c="dimmed">
            {formatDateTime(campaign.scheduled_at)}
          </Text>
        )}
      </Table.Td>
      <Table.Td miw={140}>
        <Progress
          value={total > 0 ? (settled / total) * 100 : 0}
          aria-label={`${campaign.name}: ${formatCount(settled)} of ${formatCount(total)} messages settled`}
        />
        <Text size="xs" c="dimmed">
          {formatCount(settled)} of {formatCount(total)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {formatCount(delivered)}
          {share(delivered)} · {formatCount(read)}
          {share(read)} · {formatCount(failed)}
          {share(failed)}
        </Text>
      </Table.Td>
      <Table.Td>{campaign.sender}</Table.Td>
      <Table.Td>{formatDateTime(campaign.created_at)}</Table.Td>
    </Table.Tr>
  );
}
