import { Badge, Button, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { ApiKey } from '../../api/types.ts';
import { useList } from '../../api/use-list.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatDateTime } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { SectionToolbar } from '../../components/SectionToolbar.tsx';
import { CreateApiKeyModal } from './CreateApiKeyModal.tsx';

/** Bearer keys for scripts and integrations: listed by prefix, created (shown once) and revoked. */
export function ApiKeysPage() {
  const { query: keys, refresh } = useList<ApiKey>('api-keys', '/api/v1/api-keys?limit=1000');
  const [isCreating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  return (
    <>
      <SectionToolbar
        action={
          <Button leftSection={<IconKey size={16} aria-hidden="true" />} onClick={() => setCreating(true)}>
            Create API key
          </Button>
        }
      >
        Scripts send a key as <Code>Authorization: Bearer &lt;key&gt;</Code>. Each key has a role, like a user.
      </SectionToolbar>
      {keys.error && <QueryError error={keys.error} onRetry={() => keys.refetch()} />}
      {keys.data && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>
              <VisuallyHidden>API keys</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Key</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys.data.data.map((key) => (
                <Table.Tr key={key.id}>
                  <Table.Td>{key.name}</Table.Td>
                  <Table.Td>
                    <Code>{key.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{key.role}</Table.Td>
                  <Table.Td>
                    {formatDateTime(key.created_at)}
                    {key.created_by && (
                      <Text size="xs" c="dimmed">
                        by {key.created_by}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(key.last_used_at)}</Table.Td>
                  <Table.Td>
                    {key.revoked_at ? (
                      <Badge color="gray">revoked</Badge>
                    ) : (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setRevoking(key)}
                        aria-label={`Revoke ${key.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {isCreating && <CreateApiKeyModal onClose={() => setCreating(false)} onCreated={refresh} />}
      {revoking && (
        <ConfirmModal
          title={`Revoke ${revoking.name}?`}
          message="Requests with this key are refused from now on. This cannot be undone; create a new key instead."
          confirmLabel="Revoke key"
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            try {
              await api('DELETE', `/api/v1/api-keys/${revoking.id}`);
              notifyDone(`${revoking.name} is revoked`);
              await refresh();
            } catch (error) {
              notifyFailure(error);
            }
            setRevoking(null);
          }}
        />
      )}
    </>
  );
}
