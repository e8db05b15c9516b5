import { Badge, Modal, Table, Text, VisuallyHidden } from '@mantine/core';
import type { OutboundWebhook, WebhookDelivery } from '../../api/forms-and-webhooks.ts';
import { useList } from '../../api/use-list.ts';
import { formatDateTime } from '../../components/format.ts';
import { QueryError } from '../../components/QueryError.tsx';

const STATE_COLOURS = { delivered: 'green', pending: 'yellow', dead: 'red' } as const;

/** A webhook's recent deliveries: the event, its state, attempts and the receiver's last answer. */
export function DeliveriesModal({ webhook, onClose }: { webhook: OutboundWebhook; onClose: () => void }) {
  const { query } = useList<WebhookDelivery>(
    `deliveries-${webhook.id}`,
    `/api/v1/webhooks/${webhook.id}/deliveries?limit=100`,
  );
  return (
    <Modal opened onClose={onClose} title={`Deliveries to ${webhook.url}`} centered size="xl">
      {query.error && <QueryError error={query.error} onRetry={() => query.refetch()} />}
      {query.data && query.data.data.length === 0 && <Text>No events yet.</Text>}
      {query.data && query.data.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Caption>
              <VisuallyHidden>Recent deliveries, newest first</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Last answer</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.data.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{d.type}</Table.Td>
                  <Table.Td>
                    <Badge color={STATE_COLOURS[d.state]} variant="light">
                      {d.state}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td>
                    {d.last_error ?? (d.last_status === null ? '—' : `HTTP ${d.last_status}`)}
                    {d.state === 'pending' && d.next_attempt_at && (
                      <Text size="xs" c="dimmed">
                        next try {formatDateTime(d.next_attempt_at)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(d.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}
