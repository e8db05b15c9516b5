import { Modal, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { placeApiError } from '../../api/form-errors.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { notifyDone } from '../../components/notify.ts';

const WORDING = {
  'opt-out': {
    title: 'Opt out by hand',
    explain: 'They get no more messages, marketing or utility, until they opt in again. Pending messages are skipped.',
    submit: 'Opt out',
    done: 'Opted out',
  },
  'opt-in': {
    title: 'Opt in by hand',
    explain: 'Only when the person asked for it: say how, so the consent history shows the proof.',
    submit: 'Opt in',
    done: 'Opted in',
  },
} as const;

/** Records an opt-out or opt-in made by a person in the dashboard, with how it was asked for as proof. */
export function ConsentChangeModal({
  action,
  path,
  onClose,
  onDone,
}: {
  action: 'opt-out' | 'opt-in';
  path: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const wording = WORDING[action];
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { evidence: '' } });
  const submit = form.onSubmit(async ({ evidence }) => {
    setFormError(null);
    try {
      await api('POST', `${path}/${action}`, {
        json: { source: 'dashboard', ...(evidence.trim() && { evidence: evidence.trim() }) },
      });
      notifyDone(wording.done);
      onDone();
    } catch (error) {
      setFormError(placeApiError(form, error));
    }
  });
  return (
    <Modal opened onClose={onClose} title={wording.title} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Text size="sm">{wording.explain}</Text>
          <FormError message={formError} />
          <Textarea
            label="How they asked"
            description="Kept in the consent history, e.g. “asked by phone on Monday”."
            data-autofocus
            autosize
            minRows={2}
            {...form.getInputProps('evidence')}
          />
          <ModalActions submitLabel={wording.submit} isSubmitting={form.submitting} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
