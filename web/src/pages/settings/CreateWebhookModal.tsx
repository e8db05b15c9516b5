import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { OUTBOUND_EVENTS, type OutboundWebhook } from '../../api/forms-and-webhooks.ts';
import { useApiForm } from '../../api/use-api-form.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { ShownOnce } from '../../components/ShownOnce.tsx';

/** Adds a webhook with its URL and events, then shows its signing secret once. */
export function CreateWebhookModal({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [created, setCreated] = useState<(OutboundWebhook & { secret: string }) | null>(null);
  const { form, formError, submit } = useApiForm(
    { url: '', events: [...OUTBOUND_EVENTS] as string[] },
    async (values) => {
      setCreated(await api<OutboundWebhook & { secret: string }>('POST', '/api/v1/webhooks', { json: values }));
      onCreated();
    },
  );

  return (
    <Modal opened onClose={onClose} title={created ? 'Your webhook secret' : 'Add webhook'} centered size="lg">
      {created ? (
        <Stack>
          <ShownOnce
            label="signing secret"
            secret={created.secret}
            note="It is shown only this once. Verify each delivery's X-Chorus-Signature-256 with it."
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormError message={formError} />
            <TextInput
              label="URL"
              placeholder="https://crm.example.com/chorus"
              required
              data-autofocus
              {...form.getInputProps('url')}
            />
            <Checkbox.Group label="Events" required {...form.getInputProps('events')}>
              <Stack gap="xs" mt="xs">
                {OUTBOUND_EVENTS.map((event) => (
                  <Checkbox key={event} value={event} label={event} />
                ))}
              </Stack>
            </Checkbox.Group>
            <ModalActions submitLabel="Add webhook" isSubmitting={form.submitting} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
