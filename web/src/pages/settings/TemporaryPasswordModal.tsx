import { Button, Group, Modal, Text } from '@mantine/core';
import { ShownOnce } from '../../components/ShownOnce.tsx';

/** The generated password of a new or reset user, shown once for the admin to pass on. */
export function TemporaryPasswordModal({
  email,
  password,
  onClose,
}: {
  email: string;
  password: string;
  onClose: () => void;
}) {
  return (
    <Modal opened onClose={onClose} title="Temporary password" centered>
      <Text mb="md">
        Give this password to <strong>{email}</strong>. They choose their own when they first sign in.
      </Text>
      <ShownOnce label="temporary password" secret={password} />
      <Group justify="flex-end" mt="lg">
        <Button onClick={onClose}>Done</Button>
      </Group>
    </Modal>
  );
}
