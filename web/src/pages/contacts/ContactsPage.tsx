import { Badge, Button, Group, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { Contact, Page } from '../../api/types.ts';
import { useSession } from '../../auth/session.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ConsentBadge } from './ConsentBadge.tsx';
import { ImportSection } from './ImportSection.tsx';

const PAGE_SIZE = 50;

/** Import contacts, and find them: search and tag filter run on the server, a page at a time. */
export function ContactsPage() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [tagFilter] = useDebouncedValue(tag.trim(), 250);
  // Cursors of the pages before this one, so Previous goes back without the server counting.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const contacts = useQuery({
    queryKey: ['contacts', q, tagFilter, cursor],
    queryFn: () => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (q) query.set('q', q);
      if (tagFilter) query.set('tag', tagFilter);
      if (cursor) query.set('cursor', cursor);
      return api<Page<Contact>>('GET', `/api/v1/contacts?${query}`);
    },
    placeholderData: keepPreviousData,
  });
  const restart = (change: () => void) => {
    change();
    setCursors([null]);
  };

  return (
    <>
      <PageHeader title="Contacts" description="The people you may message, with their consent and tags." />
      {session.hasRole('operator') && (
        <ImportSection onImported={() => queryClient.invalidateQueries({ queryKey: ['contacts'] })} />
      )}
      <section aria-labelledby="contacts-heading">
        <VisuallyHidden>
          <h2 id="contacts-heading">All contacts</h2>
        </VisuallyHidden>
        <Group mb="md" align="flex-end" wrap="wrap">
          <TextInput
            label="Search"
            description="The start of a phone number, first name or last name."
            leftSection={<IconSearch size={16} aria-hidden="true" />}
            value={search}
            onChange={(event) => {
              const value = event.currentTarget.value;
              restart(() => setSearch(value));
            }}
            w={{ base: '100%', sm: 320 }}
          />
          <TextInput
            label="Tag"
            description="Only contacts with this tag."
            value={tag}
            onChange={(event) => {
              const value = event.currentTarget.value;
              restart(() => setTag(value));
            }}
            w={{ base: '100%', sm: 200 }}
          />
        </Group>
        {contacts.error && <QueryError error={contacts.error} onRetry={() => contacts.refetch()} />}
        {contacts.data && <ContactsTable contacts={contacts.data.data} />}
        {contacts.data && (
          <Group justify="space-between" mt="md">
            <Text size="sm" c="dimmed">
              Page {cursors.length}
            </Text>
            <Group gap="xs">
              <Button
                variant="default"
                disabled={cursors.length === 1}
                onClick={() => setCursors((all) => all.slice(0, -1))}
              >
                Previous page
              </Button>
              <Button
                variant="default"
                disabled={!contacts.data.next_cursor}
                onClick={() => setCursors((all) => [...all, contacts.data.next_cursor])}
              >
                Next page
              </Button>
            </Group>
          </Group>
        )}
      </section>
    </>
  );
}

function ContactsTable({ contacts }: { contacts: Contact[] }) {
  if (contacts.length === 0) return <Text c="dimmed">No contacts match.</Text>;
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <Table.Caption>
          <VisuallyHidden>Contacts</VisuallyHidden>
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Phone</Table.Th>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Tags</Table.Th>
            <Table.Th scope="col">Consent</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {contacts.map((contact) => (
            <Table.Tr key={contact.phone}>
              <Table.Td>
                <Link to={`/contacts/${encodeURIComponent(contact.phone)}`}>{contact.phone}</Link>
              </Table.Td>
              <Table.Td>{fullName(contact) || '—'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {contact.tags.map((t) => (
                    <Badge key={t} variant="light" color="gray" tt="none">
                      {t}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <ConsentBadge contact={contact} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** First and last name, as the contact has them. */
export function fullName(contact: Pick<Contact, 'first_name' | 'last_name'>): string {
  return [contact.first_name, contact.last_name].filter(Boolean).join(' ');
}
