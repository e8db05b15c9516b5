// The wizard's first steps: who sends, to whom, which template, and when.
import { Alert, Group, Loader, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { TemplateSummary } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { formatCount } from '../../components/format.ts';
import { MessageBubble } from './MessageBubble.tsx';
import { templateKey } from './template-params.ts';
import { tagsOf, type WizardForm } from './wizard-form.ts';

interface SenderOption {
  id: string;
  name?: string | null;
  display_phone_number?: string | null;
  status?: string;
  status_reason?: string | null;
  mps?: number;
}

/** Step 1: the campaign's name and the number it goes out from. */
export function SenderStep({ form }: { form: WizardForm }) {
  const senders = useQuery({
    queryKey: ['senders'],
    queryFn: () => api<Page<SenderOption>>('GET', '/api/v1/senders'),
  });
  const picked = senders.data?.data.find((s) => s.id === form.values.sender);
  return (
    <Stack>
      <TextInput
        label="Name"
        description="For you and your team; recipients never see it"
        required
        {...form.getInputProps('name')}
      />
      <NativeSelect
        label="Sender"
        description="The WhatsApp number the messages come from"
        data={(senders.data?.data ?? [{ id: form.values.sender }]).map((s: SenderOption) => ({
          value: s.id,
          label: [s.name ?? s.id, s.display_phone_number].filter(Boolean).join(' · '),
        }))}
        {...form.getInputProps('sender')}
      />
      {picked?.status === 'paused' && (
        <Alert color="yellow" title="This sender is paused">
          {picked.status_reason ?? 'Messages wait until it is resumed.'}
        </Alert>
      )}
    </Stack>
  );
}

/** Step 2: the audience by tags, with the contacts it holds counted on the server as you type. */
export function AudienceStep({ form }: { form: WizardForm }) {
  const [audience] = useDebouncedValue(
    { tags: tagsOf(form.values.tags), exclude_tags: tagsOf(form.values.excludeTags) },
    300,
  );
  const count = useQuery({
    queryKey: ['audience-count', audience],
    queryFn: () => api<{ count: number }>('POST', '/api/v1/campaigns/audience-count', { json: audience }),
  });
  return (
    <Stack>
      <TextInput
        label="Tags"
        description="Contacts with any of these tags, separated by commas; empty: every contact"
        placeholder="vip, newsletter"
        {...form.getInputProps('tags')}
      />
      <TextInput
        label="Exclude tags"
        description="Contacts with any of these tags are left out"
        placeholder="staff"
        {...form.getInputProps('excludeTags')}
      />
      <Group gap="xs" aria-live="polite">
        {count.isFetching && <Loader size="xs" aria-hidden="true" />}
        {count.data && (
          <Text fw={600} data-testid="audience-count">
            {formatCount(count.data.count)} contacts in this audience
          </Text>
        )}
        <Text size="sm" c="dimmed">
          before consent and limits; the dry run shows who is left out and why
        </Text>
      </Group>
    </Stack>
  );
}

/** Step 3: an approved template of the sender's account, previewed as it stands. */
export function TemplateStep({ form, templates }: { form: WizardForm; templates: TemplateSummary[] }) {
  const approved = templates.filter((t) => t.status === 'APPROVED');
  const picked = templates.find((t) => templateKey(t) === form.values.template);
  const body = picked?.components.find((c) => c.type.toUpperCase() === 'BODY')?.text ?? '';
  const footer = picked?.components.find((c) => c.type.toUpperCase() === 'FOOTER')?.text ?? null;
  return (
    <Stack>
      <NativeSelect
        label="Template"
        description={
          approved.length > 0
            ? "Approved templates of this sender's WhatsApp account"
            : 'No approved template yet: sync templates on the Templates page first'
        }
        data={[
          { value: '', label: 'Pick a template' },
          ...approved.map((t) => ({ value: templateKey(t), label: `${t.name} (${t.language}, ${t.category})` })),
        ]}
        {...form.getInputProps('template')}
      />
      {picked && <MessageBubble label="Template preview" message={{ header: null, body, footer, buttons: [] }} />}
    </Stack>
  );
}

/** Step 5: start by hand or at a time, and the hours of the recipient's own day it may arrive in. */
export function ScheduleStep({ form }: { form: WizardForm }) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <Stack>
      <TextInput
        type="datetime-local"
        label="Send at"
        description={`Leave empty to start it yourself at the end. Your time zone: ${zone}`}
        {...form.getInputProps('scheduledAt')}
      />
      <Text size="sm">Send window, in each recipient's own time zone (optional):</Text>
      <Group grow>
        <TextInput type="time" label="Window opens" {...form.getInputProps('windowStart')} />
        <TextInput type="time" label="Window closes" {...form.getInputProps('windowEnd')} />
      </Group>
    </Stack>
  );
}
