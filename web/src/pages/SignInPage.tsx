import { Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, setCsrfToken } from '../api/client.ts';
import { placeApiError } from '../api/form-errors.ts';
import type { SignedIn } from '../api/types.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { FormError } from '../components/FormError.tsx';
import { SecretInput } from '../components/SecretInput.tsx';

/** Where to go after signing in: only a path of this dashboard, never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** Email and password; the server's answer (wrong password, locked account) shows under the fields. */
export function SignInPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '', password: '' } });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const signedIn = await api<SignedIn>('POST', '/api/v1/session', { json: values, redirectOn401: false });
      setCsrfToken(signedIn.csrf_token);
      queryClient.clear();
      await navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      // A lock-out concerns the whole form, not one field.
      const isLocked = error instanceof ApiError && error.status === 429;
      setFormError(isLocked ? error.message : placeApiError(form, error));
    }
  });

  return (
    <AuthCard title="Sign in" intro="Sign in to run your campaigns.">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Email" type="email" autoComplete="username" required {...form.getInputProps('email')} />
          <SecretInput label="Password" autoComplete="current-password" required {...form.getInputProps('password')} />
          <Button type="submit" loading={form.submitting} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
