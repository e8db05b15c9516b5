import { Anchor, Button, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client.ts';
import type { Contact } from '../../api/types.ts';
import { useSession } from '../../auth/session.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { formatDateTime } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { ConsentBadge } from './ConsentBadge.tsx';
import { ConsentChangeModal } from './ConsentChangeModal.tsx';
import { ConsentHistory } from './ConsentHistory.tsx';
import { ContactMessages } from './ContactMessages.tsx';
import { fullName } from './ContactsPage.tsx';
import { TagsEditor } from './TagsEditor.tsx';

/** One person: attributes and tags, the consent ledger, the messages both ways; opt out or in, export, erase. */
export function ContactPage() {
  const phone = useParams().phone ?? '';
  const path = `/api/v1/contacts/${encodeURIComponent(phone)}`;
  const session = useSession();
  const canChange = session.hasRole('operator');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const contact = useQuery({ queryKey: ['contact', phone], queryFn: () => api<Contact>('GET', path) });
  const [consentChange, setConsentChange] = useState<'opt-out' | 'opt-in' | null>(null);
  const [isErasing, setErasing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['contact', phone] });

  const back = (
    <Anchor component={Link} to="/contacts" size="sm">
      ← All contacts
    </Anchor>
  );
  if (contact.error) {
    return (
      <>
        {back}
        <QueryError error={contact.error} onRetry={() => contact.refetch()} />
      </>
    );
  }
  if (!contact.data) return back;
  const person = contact.data;
  return (
    <>
      {back}
      <PageHeader
        title={fullName(person) || person.phone}
        description={
          <>
            {person.phone} · <ConsentBadge contact={person} />
          </>
        }
        actions={
          <>
            <Button
              variant="default"
              component="a"
              href={`${path}/export`}
              download={`contact-${person.phone}.json`}
              leftSection={<IconDownload size={16} aria-hidden="true" />}
            >
              Export
            </Button>
            {canChange &&
              (person.suppressed ? (
                <Button variant="default" onClick={() => setConsentChange('opt-in')}>
                  Opt in
                </Button>
              ) : (
                <Button variant="default" onClick={() => setConsentChange('opt-out')}>
                  Opt out
                </Button>
              ))}
            {canChange && (
              <Button color="red" variant="light" onClick={() => setErasing(true)}>
                Erase
              </Button>
            )}
          </>
        }
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="xl">
        <Details contact={person} />
        <Paper withBorder p="md" component="section" aria-labelledby="tags-heading">
          <Title order={2} size="h4" id="tags-heading" mb="sm">
            Tags
          </Title>
          <TagsEditor contact={person} path={path} canChange={canChange} onSaved={refresh} />
        </Paper>
      </SimpleGrid>
      <Stack gap="xl">
        <ConsentHistory phone={person.phone} path={path} />
        <ContactMessages phone={person.phone} path={path} />
      </Stack>
      {consentChange && (
        <ConsentChangeModal
          action={consentChange}
          path={path}
          onClose={() => setConsentChange(null)}
          onDone={() => {
            setConsentChange(null);
            void refresh();
            void queryClient.invalidateQueries({ queryKey: ['consent', person.phone] });
          }}
        />
      )}
      {isErasing && (
        <ConfirmModal
          title={`Erase ${person.phone}?`}
          message="Their name, attributes, tags and consent history are deleted, message bodies are scrubbed, and the number is kept only as a hash so it is never messaged or imported again. This cannot be undone."
          confirmLabel="Erase this person"
          onClose={() => setErasing(false)}
          onConfirm={async () => {
            try {
              await api('DELETE', path);
              notifyDone(`${person.phone} is erased`);
              await queryClient.invalidateQueries({ queryKey: ['contacts'] });
              navigate('/contacts');
            } catch (error) {
              notifyFailure(error);
              setErasing(false);
            }
          }}
        />
      )}
    </>
  );
}

function Details({ contact }: { contact: Contact }) {
  const attributes = Object.entries(contact.attributes);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="details-heading">
      <Title order={2} size="h4" id="details-heading" mb="sm">
        Details
      </Title>
      <Table variant="vertical" layout="fixed">
        <Table.Tbody>
          <Row name="First name" value={contact.first_name} />
          <Row name="Last name" value={contact.last_name} />
          <Row name="Language" value={contact.language} />
          <Row name="Marketing consent since" value={formatDateTime(contact.consent.marketing)} />
          <Row name="Utility consent since" value={formatDateTime(contact.consent.utility)} />
          <Row name="Added" value={formatDateTime(contact.created_at)} />
          {attributes.map(([name, value]) => (
            <Row key={name} name={`attr.${name}`} value={value} />
          ))}
        </Table.Tbody>
      </Table>
      {attributes.length === 0 && (
        <Text size="sm" c="dimmed" mt="xs">
          No custom attributes.
        </Text>
      )}
    </Paper>
  );
}

function Row({ name, value }: { name: string; value: string | null }) {
  return (
    <Table.Tr>
      <Table.Th w="40%">{name}</Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{value ?? '—'}</Table.Td>
    </Table.Tr>
  );
}
