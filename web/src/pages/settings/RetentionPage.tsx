import { Button, Code, List, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { notifyFailure } from '../../components/notify.ts';
import { QueryError } from '../../components/QueryError.tsx';

interface RetentionPolicy {
  payload_days: number | null;
  body_days: number | null;
  runs_every_minutes: number;
}

type Purged = Record<string, number>;

// What each figure of a run counts, in words a data protection officer reads.
const PURGED_LABELS: Record<string, string> = {
  status_event_payloads: 'Raw status webhook payloads',
  inbound_payloads: 'Raw reply webhook payloads',
  unrouted_webhook_events: 'Events for numbers no sender has',
  set_aside_inbox_batches: 'Webhook batches set aside',
  reply_texts: 'Reply texts',
  message_bodies: 'Message bodies',
  campaigns_with_bodies_purged: 'Campaigns whose bodies are now purged',
  erasure_followups: 'Erased people’s late answers, scrubbed',
  closed_recipient_windows: 'Recipient records no limit needs any more',
};

function kept(days: number | null, variable: string) {
  if (days === null)
    return (
      <>
        kept for ever (set <Code>{variable}</Code> to purge them after a number of days)
      </>
    );
  return <>purged after {days === 1 ? '1 day' : `${days} days`}</>;
}

/** Data retention: the policy in force (from the environment) and a purge on demand, audited. */
export function RetentionPage() {
  const policy = useQuery({
    queryKey: ['retention'],
    queryFn: () => api<RetentionPolicy>('GET', '/api/v1/settings/retention'),
  });
  const [purged, setPurged] = useState<Purged | null>(null);
  const [isRunning, setRunning] = useState(false);

  const runNow = async () => {
    setRunning(true);
    try {
      setPurged((await api<{ purged: Purged }>('POST', '/api/v1/settings/retention/run')).purged);
    } catch (error) {
      notifyFailure(error);
    } finally {
      setRunning(false);
    }
  };

  if (policy.error) return <QueryError error={policy.error} onRetry={() => policy.refetch()} />;
  if (!policy.data) return null;
  const { payload_days, body_days, runs_every_minutes } = policy.data;
  return (
    <Stack gap="lg">
      <section aria-labelledby="retention-policy-heading">
        <Title order={2} size="h4" id="retention-policy-heading" mb="sm">
          What Chorus keeps
        </Title>
        <List spacing="xs">
          <List.Item>Raw webhook payloads from Meta: {kept(payload_days, 'CHORUS_RETENTION_PAYLOAD_DAYS')}.</List.Item>
          <List.Item>Message bodies and reply texts: {kept(body_days, 'CHORUS_RETENTION_BODY_DAYS')}.</List.Item>
          <List.Item>Statuses, times and counts are always kept, so reports stay whole.</List.Item>
        </List>
        <Text c="dimmed" size="sm" mt="sm">
          Worker processes purge every {runs_every_minutes} minutes. Erasing a person is on their contact page.
        </Text>
      </section>
      <section aria-labelledby="retention-run-heading">
        <Title order={2} size="h4" id="retention-run-heading" mb="sm">
          Purge now
        </Title>
        <Button leftSection={<IconTrash size={16} aria-hidden="true" />} loading={isRunning} onClick={runNow}>
          Run retention now
        </Button>
        {purged && (
          <Table mt="md" maw={560} aria-live="polite">
            <Table.Caption>
              <VisuallyHidden>Purged by this run</VisuallyHidden>
            </Table.Caption>
            <Table.Tbody>
              {Object.entries(purged).map(([key, count]) => (
                <Table.Tr key={key}>
                  <Table.Th scope="row">{PURGED_LABELS[key] ?? key}</Table.Th>
                  <Table.Td ta="right">{count.toLocaleString()}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
    </Stack>
  );
}
