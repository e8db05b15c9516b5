import { Checkbox, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { api } from '../../api/client.ts';
import type { SignupForm } from '../../api/forms-and-webhooks.ts';
import { useApiForm } from '../../api/use-api-form.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { notifyDone } from '../../components/notify.ts';

/** Creates a sign-up form: its address, heading, consent wording, tags, purpose and double opt-in. */
export function CreateSignupFormModal({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const initialValues = {
    slug: '',
    title: '',
    consent_text: '',
    tags: '',
    purpose: 'marketing' as 'marketing' | 'utility',
    double_opt_in: false,
  };
  const { form, formError, submit } = useApiForm(initialValues, async (values) => {
    const tags = values.tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const created = await api<SignupForm>('POST', '/api/v1/forms', { json: { ...values, tags } });
    notifyDone(`${created.title} is live at /join/${created.slug}`);
    onCreated();
    onClose();
  });

  return (
    <Modal opened onClose={onClose} title="New sign-up form" centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Title" required data-autofocus {...form.getInputProps('title')} />
          <TextInput
            label="Address"
            description="The page is /join/<address>: lowercase letters, digits and dashes."
            required
            {...form.getInputProps('slug')}
          />
          <Textarea
            label="Consent wording"
            description="Name your business, say what messages people will get on WhatsApp and how to stop. The box is never ticked in advance."
            required
            autosize
            minRows={2}
            {...form.getInputProps('consent_text')}
          />
          <TextInput
            label="Tags"
            description="Comma-separated; given to everyone who subscribes."
            {...form.getInputProps('tags')}
          />
          <Select
            label="Purpose"
            data={[
              { value: 'marketing', label: 'Marketing (covers utility too)' },
              { value: 'utility', label: 'Utility only' },
            ]}
            allowDeselect={false}
            {...form.getInputProps('purpose')}
          />
          <Checkbox
            label="Double opt-in: confirm the number with a WhatsApp message"
            {...form.getInputProps('double_opt_in', { type: 'checkbox' })}
          />
          <ModalActions submitLabel="Create form" isSubmitting={form.submitting} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
