import { Badge, Button, Code, Table, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import type { ApiKey } from '../../api/types.ts';
import { useList } from '../../api/use-list.ts';
import { ConfirmRemoval } from '../../components/ConfirmRemoval.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ListTable } from '../../components/ListTable.tsx';
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
        <ListTable caption="API keys" columns={['Name', 'Key', 'Role', 'Created', 'Last used']}>
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
        </ListTable>
      )}
      {isCreating && <CreateApiKeyModal onClose={() => setCreating(false)} onCreated={refresh} />}
      {revoking && (
        <ConfirmRemoval
          title={`Revoke ${revoking.name}?`}
          message="Requests with this key are refused from now on. This cannot be undone; create a new key instead."
          confirmLabel="Revoke key"
          path={`/api/v1/api-keys/${revoking.id}`}
          doneMessage={`${revoking.name} is revoked`}
          onRemoved={refresh}
          onClose={() => setRevoking(null)}
        />
      )}
    </>
  );
}
