import { Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { type ApiKey, ROLES, type Role } from '../../api/types.ts';
import { useApiForm } from '../../api/use-api-form.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { ShownOnce } from '../../components/ShownOnce.tsx';

/** Creates a key with a name and a role, then shows it once with an example request. */
export function CreateApiKeyModal({ onClose, onCreated }: { onClose: () => void; onCreated: () => void }) {
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const { form, formError, submit } = useApiForm({ name: '', role: 'operator' as Role }, async (values) => {
    setCreated(await api<ApiKey & { key: string }>('POST', '/api/v1/api-keys', { json: values }));
    onCreated();
  });

  return (
    <Modal opened onClose={onClose} title={created ? 'Your new API key' : 'Create API key'} centered size="lg">
      {created ? (
        <Stack>
          <ShownOnce label="API key" secret={created.key} />
          <Text size="sm">Try it:</Text>
          <Code
            block
          >{`curl -H 'Authorization: Bearer ${created.key}' ${window.location.origin}/api/v1/campaigns`}</Code>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <FormError message={formError} />
            <TextInput
              label="Name"
              description="What the key is for, e.g. the shop's order sync."
              required
              data-autofocus
              {...form.getInputProps('name')}
            />
            <Select label="Role" data={ROLES} allowDeselect={false} required {...form.getInputProps('role')} />
            <ModalActions submitLabel="Create key" isSubmitting={form.submitting} onCancel={onClose} />
          </Stack>
        </form>
      )}
    </Modal>
  );
}
