import { Modal, Select, Stack, TextInput } from '@mantine/core';
import { api } from '../../api/client.ts';
import { ROLES, type Role, type UserWithPassword } from '../../api/types.ts';
import { useApiForm } from '../../api/use-api-form.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { SecretInput } from '../../components/SecretInput.tsx';

/** Adds a user with a role; without a password one is generated and shown once. */
export function AddUserModal({
  onClose,
  onAdded,
}: {
  onClose: () => void;
  onAdded: (created: UserWithPassword) => void;
}) {
  const initialValues = { email: '', name: '', role: 'operator' as Role, password: '' };
  const { form, formError, submit } = useApiForm(initialValues, async (values) => {
    const json = {
      email: values.email,
      role: values.role,
      name: values.name.trim() || null,
      ...(values.password ? { password: values.password } : {}),
    };
    onAdded(await api<UserWithPassword>('POST', '/api/v1/users', { json }));
  });
  return (
    <Modal opened onClose={onClose} title="Add user" centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          <FormError message={formError} />
          <TextInput label="Email" type="email" required data-autofocus {...form.getInputProps('email')} />
          <TextInput label="Name" {...form.getInputProps('name')} />
          <Select label="Role" data={ROLES} allowDeselect={false} required {...form.getInputProps('role')} />
          <SecretInput
            label="Password"
            description="Leave empty to generate one; the person chooses their own at the first sign-in."
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <ModalActions submitLabel="Add user" isSubmitting={form.submitting} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
