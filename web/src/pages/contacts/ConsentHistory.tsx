import { Code, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ConsentEntry } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { QueryError } from '../../components/QueryError.tsx';

/** The contact's consent ledger, oldest first: every grant and revocation with its source and proof. */
export function ConsentHistory({ phone, path }: { phone: string; path: string }) {
  const ledger = useQuery({
    queryKey: ['consent', phone],
    queryFn: () => api<{ data: ConsentEntry[] }>('GET', `${path}/consent`),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="consent-heading">
      <Title order={2} size="h4" id="consent-heading" mb="sm">
        Consent history
      </Title>
      {ledger.error && <QueryError error={ledger.error} onRetry={() => ledger.refetch()} />}
      {ledger.data && ledger.data.data.length === 0 && (
        <Text size="sm" c="dimmed">
          Nothing recorded: this contact never opted in, so they get no marketing.
        </Text>
      )}
      {ledger.data && ledger.data.data.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table striped>
            <Table.Caption>Consent history, oldest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
                <Table.Th scope="col">Purpose</Table.Th>
                <Table.Th scope="col">Source</Table.Th>
                <Table.Th scope="col">Proof</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ledger.data.data.map((entry, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: ledger entries are append-only, in order
                <Table.Tr key={index}>
                  <Table.Td>{formatDateTime(entry.at)}</Table.Td>
                  <Table.Td>
                    {entry.action === 'revoke' ? 'opted out' : entry.action === 'grant' ? 'opted in' : entry.action}
                  </Table.Td>
                  <Table.Td>{entry.purpose}</Table.Td>
                  <Table.Td>
                    {entry.source}{' '}
                    <Text span size="xs" c="dimmed">
                      ({entry.channel})
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Proof proof={entry.proof} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function Proof({ proof }: { proof: Record<string, unknown> }) {
  const entries = Object.entries(proof);
  if (entries.length === 0) return <Text size="sm">—</Text>;
  return (
    <Text size="xs" component="div">
      {entries.map(([key, value]) => (
        <div key={key}>
          {key}: <Code>{typeof value === 'string' ? value : JSON.stringify(value)}</Code>
        </div>
      ))}
    </Text>
  );
}
