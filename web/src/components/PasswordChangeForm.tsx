import { Button, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api } from '../api/client.ts';
import { placeApiError } from '../api/form-errors.ts';
import type { User } from '../api/types.ts';
import { FormError } from './FormError.tsx';
import { SecretInput } from './SecretInput.tsx';

/** Current and new password; the user's other sessions end when it is changed. */
export function PasswordChangeForm({
  onChanged,
  submitLabel,
}: {
  onChanged: (user: User) => void;
  submitLabel: string;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { current_password: '', new_password: '' },
    validate: { new_password: (value) => (value.length < 8 ? 'Use at least 8 characters' : null) },
  });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      onChanged(await api<User>('POST', '/api/v1/me/password', { json: values }));
      form.reset();
    } catch (error) {
      setFormError(placeApiError(form, error));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <FormError message={formError} />
        <SecretInput
          label="Current password"
          autoComplete="current-password"
          required
          {...form.getInputProps('current_password')}
        />
        <SecretInput
          label="New password"
          description="At least 8 characters. Your other sessions end."
          autoComplete="new-password"
          required
          {...form.getInputProps('new_password')}
        />
        <Button type="submit" loading={form.submitting} style={{ alignSelf: 'flex-start' }}>
          {submitLabel}
        </Button>
      </Stack>
    </form>
  );
}
