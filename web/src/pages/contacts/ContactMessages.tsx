import { Anchor, Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import type { ContactMessage, ContactReply } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { QueryError } from '../../components/QueryError.tsx';

/** The messages campaigns sent this contact, newest first, and the ones they sent back. */
export function ContactMessages({ phone, path }: { phone: string; path: string }) {
  const messages = useQuery({
    queryKey: ['contact-messages', phone],
    queryFn: () => api<{ data: ContactMessage[]; replies: ContactReply[] }>('GET', `${path}/messages`),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="messages-heading">
      <Title order={2} size="h4" id="messages-heading" mb="sm">
        Messages
      </Title>
      {messages.error && <QueryError error={messages.error} onRetry={() => messages.refetch()} />}
      {messages.data && <Sent messages={[...messages.data.data].reverse()} />}
      {messages.data && <Replies replies={[...messages.data.replies].reverse()} />}
    </Paper>
  );
}

function Sent({ messages }: { messages: ContactMessage[] }) {
  if (messages.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No campaign has messaged this contact.
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped>
        <Table.Caption>Messages sent, newest first</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Campaign</Table.Th>
            <Table.Th scope="col">Template</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Last change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {messages.map((message) => (
            <Table.Tr key={`${message.campaign.id}`}>
              <Table.Td>
                <Anchor component={Link} to={`/campaigns/${message.campaign.id}`}>
                  {message.campaign.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {message.template.name} ({message.template.language})
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={message.status === 'failed' ? 'red' : 'gray'} tt="none">
                  {message.status}
                </Badge>
                {(message.error?.title ?? message.status_reason) && (
                  <Text size="xs" c="dimmed">
                    {message.error ? `${message.error.code}: ${message.error.title ?? ''}` : message.status_reason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{formatDateTime(message.updated_at)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Replies({ replies }: { replies: ContactReply[] }) {
  return (
    <>
      <Title order={3} size="h5" mt="md" mb="xs">
        Replies
      </Title>
      {replies.length === 0 ? (
        <Text size="sm" c="dimmed">
          No replies from this contact.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table striped>
            <Table.Caption>Replies, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">When</Table.Th>
                <Table.Th scope="col">Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {replies.map((reply) => (
                <Table.Tr key={reply.wamid}>
                  <Table.Td>{formatDateTime(reply.at)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{reply.text ?? `(${reply.type})`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
