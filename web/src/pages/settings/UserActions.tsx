import { ActionIcon, Menu } from '@mantine/core';
import { IconDots } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ROLES, type Role, type User, type UserWithPassword } from '../../api/types.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { notifyDone, notifyFailure } from '../../components/notify.ts';

type Pending = { kind: 'disable' } | { kind: 'reset' };

/** A user's actions: change role, reset password, disable or enable. */
export function UserActions({
  user,
  isSelf,
  onChanged,
  onPasswordIssued,
}: {
  user: User;
  isSelf: boolean;
  onChanged: () => void;
  onPasswordIssued: (issued: UserWithPassword) => void;
}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const patch = async (json: { role?: Role; disabled?: boolean }, done: string) => {
    try {
      await api<User>('PATCH', `/api/v1/users/${user.id}`, { json });
      notifyDone(done);
      onChanged();
    } catch (error) {
      notifyFailure(error);
    }
  };
  const reset = async () => {
    try {
      onPasswordIssued(await api<UserWithPassword>('POST', `/api/v1/users/${user.id}/reset-password`, { json: {} }));
      onChanged();
    } catch (error) {
      notifyFailure(error);
    }
  };

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <ActionIcon variant="subtle" aria-label={`Actions for ${user.email}`}>
            <IconDots size={16} aria-hidden="true" />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Role</Menu.Label>
          {ROLES.map((role) => (
            <Menu.Item
              key={role}
              disabled={role === user.role}
              onClick={() => patch({ role }, `${user.email} is now ${role}`)}
            >
              Make {role}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setPending({ kind: 'reset' })}>Reset password</Menu.Item>
          {user.status === 'disabled' ? (
            <Menu.Item onClick={() => patch({ disabled: false }, `${user.email} can sign in again`)}>Enable</Menu.Item>
          ) : (
            <Menu.Item color="red" disabled={isSelf} onClick={() => setPending({ kind: 'disable' })}>
              Disable
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      {pending?.kind === 'disable' && (
        <ConfirmModal
          title={`Disable ${user.email}?`}
          message="They are signed out at once and cannot sign in until an admin enables them again."
          confirmLabel="Disable"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await patch({ disabled: true }, `${user.email} is disabled`);
            setPending(null);
          }}
        />
      )}
      {pending?.kind === 'reset' && (
        <ConfirmModal
          title={`Reset the password of ${user.email}?`}
          message="Their sessions end and a new password is generated for you to pass on; they choose their own at the next sign-in."
          confirmLabel="Reset password"
          onClose={() => setPending(null)}
          onConfirm={async () => {
            await reset();
            setPending(null);
          }}
        />
      )}
    </>
  );
}
