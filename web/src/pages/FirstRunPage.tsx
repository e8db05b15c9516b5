import { Button, Loader, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api, setCsrfToken } from '../api/client.ts';
import { placeApiError } from '../api/form-errors.ts';
import type { SignedIn } from '../api/types.ts';
import { useSetupState } from '../auth/queries.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { FormError } from '../components/FormError.tsx';
import { SecretInput } from '../components/SecretInput.tsx';

/** Creates the first admin; only while Chorus has no user at all (the server refuses it afterwards). */
export function FirstRunPage() {
  const setup = useSetupState(true);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { email: '', name: '', password: '' },
    validate: { password: (value) => (value.length < 8 ? 'Use at least 8 characters' : null) },
  });

  if (setup.isPending) return <Loader aria-label="Loading" m="xl" />;
  if (setup.data?.needs_setup === false) return <Navigate to="/sign-in" replace />;

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const json = { email: values.email, password: values.password, name: values.name.trim() || null };
      const signedIn = await api<SignedIn>('POST', '/api/v1/setup', { json, redirectOn401: false });
      setCsrfToken(signedIn.csrf_token);
      queryClient.clear();
      await navigate('/', { replace: true });
    } catch (error) {
      setFormError(placeApiError(form, error));
    }
  });

  return (
    <AuthCard
      title="Welcome to Chorus"
      intro="Create the first admin account. You can invite the rest of your team from Settings afterwards."
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
          <TextInput label="Name" autoComplete="name" {...form.getInputProps('name')} />
          <SecretInput
            label="Password"
            description="At least 8 characters; a few words make a strong one."
            autoComplete="new-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={form.submitting} fullWidth>
            Create admin account
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
