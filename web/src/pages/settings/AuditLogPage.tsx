import { Anchor, Button, Center, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { AuditEntry, Page } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { AuditFilterForm, type AuditFilters } from './AuditFilterForm.tsx';

function queryOf(filters: AuditFilters, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.action) params.set('action', filters.action);
  if (filters.actor) params.set('actor', filters.actor);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Who did what, newest first, filtered by action and actor, exported as CSV. */
export function AuditLogPage() {
  const [filters, setFilters] = useState<AuditFilters>({ action: '', actor: '' });
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) => api<Page<AuditEntry>>('GET', `/api/v1/audit${queryOf(filters, pageParam)}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    // New filters keep the old rows on screen until the new ones arrive, instead of a blank page.
    placeholderData: keepPreviousData,
  });
  const rows = entries.data?.pages.flatMap((page) => page.data) ?? [];
  const badFilter = entries.error instanceof ApiError && entries.error.field ? entries.error : null;

  return (
    <>
      <AuditFilterForm
        initial={filters}
        onApply={setFilters}
        fieldError={badFilter ? { field: badFilter.field ?? '', message: badFilter.message } : null}
        exportHref={`/api/v1/audit.csv${queryOf(filters)}`}
      />
      {entries.error && !badFilter && <QueryError error={entries.error} onRetry={() => entries.refetch()} />}
      {entries.data && rows.length === 0 && <Text c="dimmed">Nothing recorded matches these filters.</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table striped aria-busy={entries.isFetching}>
            <Table.Caption>
              <VisuallyHidden>Audit log, newest first</VisuallyHidden>
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Details</Table.Th>
                <Table.Th>Address</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                  <Table.Td>
                    {entry.actor.label}
                    <Text size="xs" c="dimmed">
                      {entry.actor.type.replace('_', ' ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    {entry.target ? `${entry.target.type.replace('_', ' ')} #${entry.target.id}` : '—'}
                  </Table.Td>
                  <Table.Td>
                    <Details details={entry.details} />
                  </Table.Td>
                  <Table.Td>{entry.ip ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {entries.hasNextPage && (
        <Center mt="md">
          <Button variant="default" loading={entries.isFetchingNextPage} onClick={() => entries.fetchNextPage()}>
            Load older entries
          </Button>
        </Center>
      )}
      <Text size="xs" c="dimmed" mt="md">
        The CSV holds every matching entry; cells a spreadsheet could run as formulas are prefixed with an apostrophe.{' '}
        <Anchor href="/docs" size="xs">
          API reference
        </Anchor>
      </Text>
    </>
  );
}

function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return '—';
  return (
    <Text size="xs" style={{ wordBreak: 'break-word' }}>
      {entries
        .map(([key, value]) => `${key.replace('_', ' ')}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' · ')}
    </Text>
  );
}
