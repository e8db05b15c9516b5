import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CampaignDetail, TestSend } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { MessageBubble } from './MessageBubble.tsx';

/** Step 7: one message to a number of your own, then the start. */
export function TestAndStartStep({
  draft,
  isStarting,
  onStart,
  onKeepSchedule,
}: {
  draft: CampaignDetail;
  isStarting: boolean;
  onStart: () => void;
  onKeepSchedule: () => void;
}) {
  const [phone, setPhone] = useState('');
  const [isSending, setSending] = useState(false);
  const [result, setResult] = useState<TestSend | null>(null);
  const [error, setError] = useState<string | null>(null);
  const sendTest = async () => {
    setSending(true);
    setError(null);
    try {
      setResult(await api<TestSend>('POST', `/api/v1/campaigns/${draft.id}/test`, { json: { phone } }));
    } catch (e) {
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  };
  return (
    <Stack>
      <Text>
        “{draft.name}” is saved as a {draft.status} campaign for {formatCount(draft.audience_size)} contacts.
        {draft.scheduled_at && ` It starts by itself at ${formatDateTime(draft.scheduled_at)}.`}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void sendTest();
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Test phone number"
            description="A consented contact, usually yourself; the test is not counted in the campaign"
            value={phone}
            onChange={(e) => setPhone(e.currentTarget.value)}
            error={error}
            placeholder="+4915112345678"
          />
          <Button type="submit" variant="default" loading={isSending} disabled={phone.trim() === ''}>
            Send test
          </Button>
        </Group>
      </form>
      {result && (
        <Alert color={result.status === 'accepted' ? 'teal' : 'red'} role="status" title={testTitle(result)}>
          <MessageBubble label="Test message" message={result.preview} />
        </Alert>
      )}
      <Group>
        <Button size="md" onClick={onStart} loading={isStarting}>
          Start campaign
        </Button>
        {draft.status === 'scheduled' && (
          <Button size="md" variant="default" onClick={onKeepSchedule}>
            Keep the schedule
          </Button>
        )}
      </Group>
    </Stack>
  );
}

function testTitle(result: TestSend): string {
  if (result.status === 'accepted') return 'Test sent: WhatsApp accepted it';
  return `Test failed${result.error?.code ? ` (${result.error.code})` : ''}: ${result.error?.title ?? 'unknown error'}`;
}
