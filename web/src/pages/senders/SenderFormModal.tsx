import { Modal, NumberInput, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { placeApiError } from '../../api/form-errors.ts';
import type { Sender } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { notifyDone } from '../../components/notify.ts';

interface Values {
  name: string;
  phone_number_id: string;
  business_account_id: string;
  access_token: string;
  app_secret: string;
  mps: number | string;
  daily_limit: number | string;
}

/**
 * Adds a sender, or changes one: its name, Meta ids, credentials (never shown back; left empty
 * they stay as they are) and limits. In sandbox mode a sender given no ids gets a simulated number.
 */
export function SenderFormModal({
  sender,
  isSandbox,
  onClose,
  onSaved,
}: {
  sender: Sender | null;
  isSandbox: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const isFromEnvironment = sender?.configured_by === 'environment';
  const form = useForm<Values>({
    initialValues: {
      name: sender?.name ?? '',
      phone_number_id: sender?.phone_number_id ?? '',
      business_account_id: sender?.business_account_id ?? '',
      access_token: '',
      app_secret: '',
      mps: sender?.mps ?? 80,
      daily_limit: sender?.daily_limit ?? 1000,
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const body = sender ? changedFields(sender, values) : newSender(values);
      if (sender) await api('PATCH', `/api/v1/senders/${sender.id}`, { json: body });
      else await api('POST', '/api/v1/senders', { json: body });
      notifyDone(sender ? `${values.name} is saved` : `${values.name} is added`);
      onSaved();
    } catch (error) {
      setFormError(placeApiError(form, error));
    }
  });

  return (
    <Modal opened onClose={onClose} title={sender ? `Edit ${sender.name}` : 'Add sender'} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          {!sender && isSandbox && (
            <Text size="sm">
              In sandbox mode, leave the ids and credentials empty to get a simulated number on the built-in simulator.
            </Text>
          )}
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          {!isFromEnvironment && (
            <>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label="Phone number ID"
                  description="From WhatsApp Manager → API setup."
                  inputMode="numeric"
                  {...form.getInputProps('phone_number_id')}
                />
                <TextInput
                  label="Business account ID"
                  description="The WhatsApp Business Account (WABA) id."
                  inputMode="numeric"
                  {...form.getInputProps('business_account_id')}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <PasswordInput
                  label="Access token"
                  description={
                    sender ? 'Stored encrypted; leave empty to keep it.' : 'A system user token; stored encrypted.'
                  }
                  autoComplete="off"
                  {...form.getInputProps('access_token')}
                />
                <PasswordInput
                  label="App secret"
                  description={sender ? 'Leave empty to keep it.' : 'Checks that webhooks come from Meta.'}
                  autoComplete="off"
                  {...form.getInputProps('app_secret')}
                />
              </SimpleGrid>
            </>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NumberInput
              label="Messages per second"
              description="Meta allows 80 by default, up to 1,000."
              min={1}
              max={1000}
              allowDecimal={false}
              {...form.getInputProps('mps')}
            />
            <NumberInput
              label="Daily limit"
              description="Unique recipients per rolling 24 hours (your messaging tier)."
              min={1}
              allowDecimal={false}
              thousandSeparator=","
              {...form.getInputProps('daily_limit')}
            />
          </SimpleGrid>
          <ModalActions
            submitLabel={sender ? 'Save' : 'Add sender'}
            isSubmitting={form.submitting}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}

function newSender(values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: values.name,
    mps: Number(values.mps),
    daily_limit: Number(values.daily_limit),
  };
  for (const key of ['phone_number_id', 'business_account_id', 'access_token', 'app_secret'] as const) {
    if (values[key].trim() !== '') body[key] = values[key].trim();
  }
  return body;
}

function changedFields(sender: Sender, values: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (values.name !== sender.name) body.name = values.name;
  if (Number(values.mps) !== sender.mps) body.mps = Number(values.mps);
  if (Number(values.daily_limit) !== sender.daily_limit) body.daily_limit = Number(values.daily_limit);
  if (values.phone_number_id.trim() !== (sender.phone_number_id ?? ''))
    body.phone_number_id = values.phone_number_id.trim();
  if (values.business_account_id.trim() !== (sender.business_account_id ?? ''))
    body.business_account_id = values.business_account_id.trim();
  if (values.access_token.trim() !== '') body.access_token = values.access_token.trim();
  if (values.app_secret.trim() !== '') body.app_secret = values.app_secret.trim();
  return body;
}
