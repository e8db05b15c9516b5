import { Button, Code, Table } from '@mantine/core';
import { IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import type { OutboundWebhook } from '../../api/forms-and-webhooks.ts';
import { useList } from '../../api/use-list.ts';
import { ConfirmRemoval } from '../../components/ConfirmRemoval.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ListTable } from '../../components/ListTable.tsx';
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
        <ListTable caption="Outbound webhooks" columns={['URL', 'Events', 'Created']}>
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
        </ListTable>
      )}
      {isCreating && <CreateWebhookModal onClose={() => setCreating(false)} onCreated={refresh} />}
      {watching && <DeliveriesModal webhook={watching} onClose={() => setWatching(null)} />}
      {removing && (
        <ConfirmRemoval
          title="Remove this webhook?"
          message={`Chorus stops sending to ${removing.url}; deliveries not made yet are dropped.`}
          confirmLabel="Remove webhook"
          path={`/api/v1/webhooks/${removing.id}`}
          doneMessage="The webhook is removed"
          onRemoved={refresh}
          onClose={() => setRemoving(null)}
        />
      )}
    </>
  );
}
