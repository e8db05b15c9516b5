import { ActionIcon, Alert, Button, Code, CopyButton, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client.ts';
import type { WebhookSettings } from '../../api/types.ts';
import { QueryError } from '../../components/QueryError.tsx';

/** The callback URL and verify token to paste into Meta's app settings, and a check that they work. */
export function WebhookSection() {
  const settings = useQuery({
    queryKey: ['webhook-settings'],
    queryFn: () => api<WebhookSettings>('GET', '/api/v1/settings/webhook'),
  });
  const [check, setCheck] = useState<{ ok: boolean; message: string } | null>(null);
  const [isChecking, setChecking] = useState(false);
  const verify = async () => {
    setChecking(true);
    try {
      setCheck(await api<{ ok: boolean; message: string }>('POST', '/api/v1/settings/webhook/check', { json: {} }));
    } catch (error) {
      setCheck({ ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      setChecking(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="webhook-heading">
      <Title order={2} size="h4" id="webhook-heading" mb="xs">
        Webhook
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        In your Meta app, under WhatsApp → Configuration, set the callback URL and verify token below and subscribe to
        the <Code>messages</Code> field. Delivery updates, replies and opt-outs arrive here.
      </Text>
      {settings.error && <QueryError error={settings.error} onRetry={() => settings.refetch()} />}
      {settings.data && (
        <Stack gap="sm">
          <Copyable label="Callback URL" value={settings.data.url} />
          {settings.data.verify_token ? (
            <Copyable label="Verify token" value={settings.data.verify_token} />
          ) : (
            <Text size="sm">No verify token is set: set WA_VERIFY_TOKEN so Meta can verify the URL.</Text>
          )}
          <Group>
            <Button variant="default" onClick={verify} loading={isChecking}>
              Verify now
            </Button>
          </Group>
          {check && (
            <Alert
              color={check.ok ? 'teal' : 'red'}
              role="status"
              title={check.ok ? 'Webhook works' : 'Webhook check failed'}
            >
              {check.message}
            </Alert>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function Copyable({ label, value }: { label: string; value: string }) {
  const labelId = useId();
  return (
    <div>
      <Text size="sm" fw={500} id={labelId}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code aria-labelledby={labelId} style={{ wordBreak: 'break-all', fontSize: 14 }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'}>
              <ActionIcon
                variant="subtle"
                onClick={copy}
                aria-label={copied ? 'Copied' : `Copy the ${label.toLowerCase()}`}
              >
                {copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </div>
  );
}
