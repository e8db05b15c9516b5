import { Badge, Button, Table, Text } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import type { User, UserWithPassword } from '../../api/types.ts';
import { useList } from '../../api/use-list.ts';
import { useSession } from '../../auth/session.ts';
import { formatDateTime } from '../../components/format.ts';
import { ListTable } from '../../components/ListTable.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { SectionToolbar } from '../../components/SectionToolbar.tsx';
import { AddUserModal } from './AddUserModal.tsx';
import { TemporaryPasswordModal } from './TemporaryPasswordModal.tsx';
import { UserActions } from './UserActions.tsx';

/** Who may sign in, with which role; admins add people, change roles, disable and reset passwords. */
export function UsersPage() {
  const session = useSession();
  const { query: users, refresh } = useList<User>('users', '/api/v1/users?limit=1000');
  const [isAdding, setAdding] = useState(false);
  const [issued, setIssued] = useState<UserWithPassword | null>(null);

  return (
    <>
      <SectionToolbar
        action={
          <Button leftSection={<IconUserPlus size={16} aria-hidden="true" />} onClick={() => setAdding(true)}>
            Add user
          </Button>
        }
      >
        Viewers read; operators run contacts, templates and campaigns; admins also manage users, keys, senders and
        settings.
      </SectionToolbar>
      {users.error && <QueryError error={users.error} onRetry={() => users.refetch()} />}
      {users.data && (
        <ListTable caption="Users" columns={['User', 'Role', 'Status', 'Last sign-in']} minWidth={720}>
          {users.data.data.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {user.email}
                </Text>
                {user.name && (
                  <Text size="xs" c="dimmed">
                    {user.name}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{user.role}</Table.Td>
              <Table.Td>
                <UserStatus user={user} />
              </Table.Td>
              <Table.Td>{formatDateTime(user.last_sign_in_at)}</Table.Td>
              <Table.Td>
                <UserActions
                  user={user}
                  isSelf={session.me.user?.id === user.id}
                  onChanged={refresh}
                  onPasswordIssued={setIssued}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      {isAdding && (
        <AddUserModal
          onClose={() => setAdding(false)}
          onAdded={(created) => {
            setAdding(false);
            void refresh();
            if (created.temporary_password) setIssued(created);
          }}
        />
      )}
      {issued?.temporary_password && (
        <TemporaryPasswordModal
          email={issued.user.email}
          password={issued.temporary_password}
          onClose={() => setIssued(null)}
        />
      )}
    </>
  );
}

function UserStatus({ user }: { user: User }) {
  if (user.status === 'disabled') return <Badge color="gray">disabled</Badge>;
  if (user.locked_until && Date.parse(user.locked_until) > Date.now()) {
    return <Badge color="red">locked until {formatDateTime(user.locked_until)}</Badge>;
  }
  if (user.must_change_password) return <Badge color="yellow">invited</Badge>;
  return <Badge color="teal">active</Badge>;
}
