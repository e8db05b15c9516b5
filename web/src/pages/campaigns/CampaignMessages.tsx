import { Badge, Button, Group, NativeSelect, Paper, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { MESSAGE_STATUSES } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';

const PAGE_SIZE = 50;

interface MessageRow {
  id: string;
  phone: string;
  name: string | null;
  status: string;
  status_reason: string | null;
  error: { code: number | null; title: string | null; details: string | null } | null;
  accepted_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
}

/** The recipients behind the counts, by status, with why each failed or was skipped. */
export function CampaignMessages({ campaignId }: { campaignId: string }) {
  const [status, setStatus] = useState('');
  const messages = useInfiniteQuery({
    queryKey: ['campaign-messages', campaignId, status],
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      api<Page<MessageRow>>(
        'GET',
        `/api/v1/campaigns/${campaignId}/messages?limit=${PAGE_SIZE}${status ? `&status=${status}` : ''}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = messages.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="recipients-heading">
      <Group justify="space-between" mb="sm" align="flex-end">
        <Title order={2} size="h4" id="recipients-heading">
          Recipients
        </Title>
        <NativeSelect
          label="Message status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={[{ value: '', label: 'Any status' }, ...MESSAGE_STATUSES]}
        />
      </Group>
      {messages.data && rows.length === 0 && <Text c="dimmed">No message{status ? ` is ${status}` : ''}.</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Recipient</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Why</Table.Th>
                <Table.Th>Last change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm">{m.phone}</Text>
                    {m.name && (
                      <Text size="xs" c="dimmed">
                        {m.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="light"
                      color={m.status === 'failed' ? 'red' : m.status === 'skipped' ? 'orange' : 'teal'}
                    >
                      {m.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {m.error ? `${m.error.code ?? ''} ${m.error.title ?? ''}`.trim() : (m.status_reason ?? '')}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(m.read_at ?? m.delivered_at ?? m.failed_at ?? m.accepted_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {messages.hasNextPage && (
        <Button
          variant="default"
          mt="sm"
          loading={messages.isFetchingNextPage}
          onClick={() => messages.fetchNextPage()}
        >
          Show more
        </Button>
      )}
    </Paper>
  );
}
