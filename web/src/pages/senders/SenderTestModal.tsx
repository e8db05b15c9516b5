import { Alert, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TemplateSummary } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import type { Page, Sender } from '../../api/types.ts';
import { useApiForm } from '../../api/use-api-form.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { bodyPlaceholders, paramsFrom, templateKey } from '../campaigns/template-params.ts';

/** POST /api/v1/senders/{id}/test. */
interface SenderTest {
  status: 'accepted' | 'failed';
  wamid: string | null;
  error: { code: number | null; title: string; explanation?: string; action?: string } | null;
  template: { name: string; language: string };
}

type Values = {
  phone: string;
  template: string;
  values: Record<string, string>;
};

const MEDIA_HEADERS = new Set(['IMAGE', 'VIDEO', 'DOCUMENT', 'GIF', 'LOCATION']);

/** Sends one approved template through a sender to the operator's own phone, and says what WhatsApp answered. */
export function SenderTestModal({ sender, onClose }: { sender: Sender; onClose: () => void }) {
  const [result, setResult] = useState<SenderTest | null>(null);
  const templates = useQuery({
    queryKey: ['templates', sender.id],
    queryFn: () => api<Page<TemplateSummary>>('GET', `/api/v1/templates?sender=${encodeURIComponent(sender.id)}`),
  });
  const approved = (templates.data?.data ?? []).filter((t) => t.status === 'APPROVED');
  const { form, formError, submit } = useApiForm<Values>(
    { phone: '', template: '', values: {} },
    async (values) => {
      setResult(null);
      const body = {
        phone: values.phone,
        ...(chosen && {
          template: { name: chosen.name, language: chosen.language },
          params: paramsFrom(chosen, values.values),
        }),
      };
      setResult(await api<SenderTest>('POST', `/api/v1/senders/${sender.id}/test`, { json: body }));
    },
    { 'template.name': 'template' },
  );
  const chosen = approved.find((t) => templateKey(t) === form.values.template) ?? approved.find(needsNoParameters);
  const placeholders = bodyPlaceholders(chosen);

  return (
    <Modal opened onClose={onClose} title={`Send a test message from ${sender.name}`} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">
            One approved template, sent now to your own phone: it shows the number, its token and its templates work. A
            number that opted out never gets it.
          </Text>
          <FormError message={formError} />
          <TextInput
            label="Phone number"
            description="In international form, e.g. +4915112345678"
            placeholder="+4915112345678"
            inputMode="tel"
            required
            data-autofocus
            {...form.getInputProps('phone')}
          />
          <Select
            label="Template"
            description={
              templates.isSuccess && approved.length === 0 ? 'No approved template: sync them on Templates' : undefined
            }
            data={approved.map((t) => ({ value: templateKey(t), label: `${t.name} (${t.language})` }))}
            value={chosen ? templateKey(chosen) : null}
            onChange={(value) => form.setFieldValue('template', value ?? '')}
            error={form.errors.template}
            allowDeselect={false}
            disabled={approved.length === 0}
          />
          {placeholders.map((name) => (
            <TextInput
              key={name}
              label={`Value for {{${name}}}`}
              required
              {...form.getInputProps(`values.${name}`)}
              value={form.values.values[name] ?? ''}
            />
          ))}
          {result && <TestResult result={result} />}
          <ModalActions submitLabel="Send test" isSubmitting={form.submitting} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

function TestResult({ result }: { result: SenderTest }) {
  if (result.status === 'accepted') {
    return (
      <Alert color="teal" role="status" title="WhatsApp accepted it">
        <Text size="sm">
          {result.template.name} is on its way; check the phone. Message id: <code>{result.wamid}</code>
        </Text>
      </Alert>
    );
  }
  const error = result.error;
  return (
    <Alert color="red" role="status" title={`WhatsApp refused it${error?.code ? ` (${error.code})` : ''}`}>
      <Text size="sm">{error?.explanation ?? error?.title ?? 'No reason was given.'}</Text>
      <Text size="sm" fw={500}>
        {error?.action ?? "Look the code up in Meta's error reference, then try again."}
      </Text>
    </Alert>
  );
}

// As the server picks by default: no variable anywhere and no media header.
function needsNoParameters(template: TemplateSummary): boolean {
  return template.components.every(
    (c) => !c.text?.includes('{{') && !(c.type.toUpperCase() === 'HEADER' && MEDIA_HEADERS.has(c.format ?? '')),
  );
}
