import { Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconLogout, IconUser } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useSession } from '../auth/session.ts';

/** Who is signed in, with their role, their account page and sign-out. */
export function UserMenu() {
  const session = useSession();
  return (
    <Menu position="bottom-end" width={220}>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${session.name}`}>
          <Group gap="xs" wrap="nowrap">
            <Avatar size="sm" radius="xl" color="teal" aria-hidden="true">
              {session.name.slice(0, 1).toUpperCase()}
            </Avatar>
            <Text size="sm" visibleFrom="sm" truncate maw={200}>
              {session.name}
            </Text>
            <Badge size="sm" variant="light" visibleFrom="sm">
              {session.me.role}
            </Badge>
            <IconChevronDown size={14} aria-hidden="true" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {session.name} · {session.me.role}
        </Menu.Label>
        <Menu.Item component={Link} to="/settings/account" leftSection={<IconUser size={16} aria-hidden="true" />}>
          Your account
        </Menu.Item>
        <Menu.Item onClick={() => void session.signOut()} leftSection={<IconLogout size={16} aria-hidden="true" />}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
