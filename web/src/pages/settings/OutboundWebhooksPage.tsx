import { Button, Code, Table, VisuallyHidden } from '@mantine/core';
import { IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { OutboundWebhook } from '../../api/forms-and-webhooks.ts';
import { useList } from '../../api/use-list.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatDateTime } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { SectionToolbar } from '../../components/SectionToolbar.tsx';
import { CreateWebhookModal } from './CreateWebhookModal.tsx';
import { DeliveriesModal } from './DeliveriesModal.tsx';

/** Outbound webhooks: integrators' endpoints, each delivery and its result, created and removed here. */
export function OutboundWebhooksPage() {
  const { query: hooks, refresh } = useList<OutboundWebhook>('webhooks', '/api/v1/webhooks');
  const [isCreating, setCreating] = useState(false);
  const [watching, setWatching] = useState<OutboundWebhook | null>(null);
  const [removing, setRemoving] = useState<OutboundWebhook | null>(null);

  return (
    <>
      <SectionToolbar
        action={
          <Button leftSection={<IconWebhook size={16} aria-hidden="true" />} onClick={() => setCreating(true)}>
            Add webhook
          </Button>
        }
      >
        Chorus POSTs message statuses, replies and opt-outs to your systems, signed with{' '}
        <Code>X-Chorus-Signature-256</Code> and retried until they answer 2xx.
      </SectionToolbar>
      {hooks.error && <QueryError error={hooks.error} onRetry={() => hooks.refetch()} />}
      {hooks.data && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>
              <VisuallyHidden>Outbound webhooks</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>URL</Table.Th>
                <Table.Th>Events</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {hooks.data.data.map((hook) => (
                <Table.Tr key={hook.id}>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{hook.url}</Table.Td>
                  <Table.Td>{hook.events.join(', ')}</Table.Td>
                  <Table.Td>{formatDateTime(hook.created_at)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setWatching(hook)}
                      aria-label={`Deliveries to ${hook.url}`}
                    >
                      Deliveries
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => setRemoving(hook)}
                      aria-label={`Remove the webhook to ${hook.url}`}
                    >
                      Remove
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isCreating && <CreateWebhookModal onClose={() => setCreating(false)} onCreated={refresh} />}
      {watching && <DeliveriesModal webhook={watching} onClose={() => setWatching(null)} />}
      {removing && (
        <ConfirmModal
          title="Remove this webhook?"
          message={`Chorus stops sending to ${removing.url}; deliveries not made yet are dropped.`}
          confirmLabel="Remove webhook"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            try {
              await api('DELETE', `/api/v1/webhooks/${removing.id}`);
              notifyDone('The webhook is removed');
              await refresh();
            } catch (error) {
              notifyFailure(error);
            }
            setRemoving(null);
          }}
        />
      )}
    </>
  );
}
