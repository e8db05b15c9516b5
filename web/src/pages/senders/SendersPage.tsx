import { Badge, Button, Group, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Sender } from '../../api/types.ts';
import { useList } from '../../api/use-list.ts';
import { useSession } from '../../auth/session.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { SenderFormModal } from './SenderFormModal.tsx';
import { SenderTestModal } from './SenderTestModal.tsx';
import { WebhookSection } from './WebhookSection.tsx';

// Meta's quality rating of a number (reference/cloud-api.md §3): low quality lowers the messaging tier.
const QUALITY_COLOR: Record<string, string> = { GREEN: 'teal', YELLOW: 'yellow', RED: 'red' };

/** The WhatsApp numbers Chorus sends from: limits, health as Meta reports it, pause and resume; admins add, edit and remove. */
export function SendersPage() {
  const session = useSession();
  const isAdmin = session.hasRole('admin');
  const isOperator = session.hasRole('operator');
  const { query: senders, refresh } = useList<Sender>('senders', '/api/v1/senders');
  const [editing, setEditing] = useState<Sender | 'new' | null>(null);
  const [removing, setRemoving] = useState<Sender | null>(null);
  const [testing, setTesting] = useState<Sender | null>(null);

  const act = async (sender: Sender, action: 'pause' | 'resume') => {
    try {
      await api('POST', `/api/v1/senders/${sender.id}/${action}`, { json: {} });
      notifyDone(`${sender.name} is ${action === 'pause' ? 'paused' : 'sending again'}`);
      await refresh();
    } catch (error) {
      notifyFailure(error);
    }
  };

  return (
    <>
      <PageHeader
        title="Senders"
        description="Your WhatsApp phone numbers, each with its own limits, and how Meta rates them."
        actions={
          isAdmin && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setEditing('new')}>
              Add sender
            </Button>
          )
        }
      />
      {senders.error && <QueryError error={senders.error} onRetry={() => senders.refetch()} />}
      {senders.data && (
        <Table.ScrollContainer minWidth={960} mb="xl">
          <Table striped highlightOnHover>
            <Table.Caption>
              <VisuallyHidden>Senders</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Sender</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Messages/second</Table.Th>
                <Table.Th scope="col">Daily limit</Table.Th>
                <Table.Th scope="col">Quality</Table.Th>
                <Table.Th scope="col">Messaging tier</Table.Th>
                <Table.Th scope="col">Throughput</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {senders.data.data.map((sender) => (
                <Table.Tr key={sender.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {sender.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {sender.display_phone_number ?? `number id ${sender.phone_number_id}`}
                      {sender.is_sandbox && ' · simulated'}
                      {sender.configured_by === 'environment' && ' · from WA_* settings'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      color={sender.status === 'paused' ? 'yellow' : 'teal'}
                      variant="light"
                      tt="none"
                      style={{ minWidth: 'max-content' }}
                    >
                      {sender.status}
                    </Badge>
                    {sender.status_reason && (
                      <Text size="xs" c="dimmed">
                        {sender.status_reason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{sender.mps === undefined ? '—' : formatCount(sender.mps)}</Table.Td>
                  <Table.Td>{sender.daily_limit === undefined ? '—' : formatCount(sender.daily_limit)}</Table.Td>
                  <Table.Td>
                    <Health sender={sender} />
                  </Table.Td>
                  <Table.Td>{tierLabel(sender.messaging_limit_tier)}</Table.Td>
                  <Table.Td>{sender.throughput_level ?? '—'}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap" justify="flex-end">
                      {isOperator && (
                        <Button size="xs" variant="light" onClick={() => setTesting(sender)}>
                          Send test message
                        </Button>
                      )}
                      {isAdmin &&
                        (sender.status === 'paused' ? (
                          <Button
                            size="xs"
                            variant="light"
                            onClick={() => act(sender, 'resume')}
                            aria-label={`Resume ${sender.name}`}
                          >
                            Resume
                          </Button>
                        ) : (
                          <Button
                            size="xs"
                            variant="light"
                            color="yellow"
                            onClick={() => act(sender, 'pause')}
                            aria-label={`Pause ${sender.name}`}
                          >
                            Pause
                          </Button>
                        ))}
                      {isAdmin && (
                        <Button
                          size="xs"
                          variant="subtle"
                          onClick={() => setEditing(sender)}
                          aria-label={`Edit ${sender.name}`}
                        >
                          Edit
                        </Button>
                      )}
                      {isAdmin && sender.configured_by !== 'environment' && (
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          onClick={() => setRemoving(sender)}
                          aria-label={`Remove ${sender.name}`}
                        >
                          Remove
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isAdmin && <WebhookSection />}
      {editing && (
        <SenderFormModal
          sender={editing === 'new' ? null : editing}
          isSandbox={session.me.sandbox}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
        />
      )}
      {testing && <SenderTestModal sender={testing} onClose={() => setTesting(null)} />}
      {removing && (
        <ConfirmModal
          title={`Remove ${removing.name}?`}
          message="Its campaigns that have finished keep their history; nothing can be sent from this number until it is added again."
          confirmLabel="Remove sender"
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            try {
              await api('DELETE', `/api/v1/senders/${removing.id}`);
              notifyDone(`${removing.name} is removed`);
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

function Health({ sender }: { sender: Sender }) {
  if (sender.health_error) {
    return (
      <Tooltip label={sender.health_error} multiline w={280}>
        <Badge color="gray" variant="outline" tt="none" tabIndex={0}>
          unknown: {sender.health_error.slice(0, 40)}
        </Badge>
      </Tooltip>
    );
  }
  const rating = sender.quality_rating;
  if (!rating) return <>—</>;
  return (
    <Badge
      color={QUALITY_COLOR[rating] ?? 'gray'}
      variant="light"
      tt="none"
      title={`checked ${formatDateTime(sender.health_checked_at)}`}
    >
      {rating}
    </Badge>
  );
}

// Meta names tiers TIER_250, TIER_2K… (unique recipients a day outside a conversation).
function tierLabel(tier: string | null | undefined): string {
  if (!tier) return '—';
  const match = /^TIER_(\w+)$/.exec(tier);
  return match ? `${match[1]} a day` : tier.toLowerCase();
}
