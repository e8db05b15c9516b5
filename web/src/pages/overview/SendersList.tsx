import { Badge, Table, Title } from '@mantine/core';
import type { Sender } from '../../api/types.ts';
import { formatCount } from '../../components/format.ts';

/** The senders with their limits, status and quality. */
export function SendersList({ senders }: { senders: Sender[] }) {
  return (
    <section aria-labelledby="senders-heading">
      <Title order={2} size="h4" id="senders-heading" mb="sm">
        Senders
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Sender</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Messages/second</Table.Th>
              <Table.Th>Daily limit</Table.Th>
              <Table.Th>Quality</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {senders.map((sender) => (
              <Table.Tr key={sender.id}>
                <Table.Td>{sender.name ?? sender.id}</Table.Td>
                <Table.Td>
                  <Badge color={sender.status === 'paused' ? 'yellow' : 'teal'} variant="light">
                    {sender.status ?? 'active'}
                  </Badge>{' '}
                  {sender.status_reason}
                </Table.Td>
                <Table.Td>{sender.mps === undefined ? '—' : formatCount(sender.mps)}</Table.Td>
                <Table.Td>{sender.daily_limit === undefined ? '—' : formatCount(sender.daily_limit)}</Table.Td>
                <Table.Td>{sender.quality_rating ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </section>
  );
}
