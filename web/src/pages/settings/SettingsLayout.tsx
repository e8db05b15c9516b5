import { Button, Group } from '@mantine/core';
import { Link, Outlet, useLocation } from 'react-router';
import type { Role } from '../../api/types.ts';
import { useSession } from '../../auth/session.ts';
import { PageHeader } from '../../components/PageHeader.tsx';

const SECTIONS: { label: string; to: string; role: Role }[] = [
  { label: 'Users', to: '/settings/users', role: 'admin' },
  { label: 'API keys', to: '/settings/api-keys', role: 'admin' },
  { label: 'Audit log', to: '/settings/audit', role: 'admin' },
  { label: 'Data retention', to: '/settings/retention', role: 'admin' },
  { label: 'Your account', to: '/settings/account', role: 'viewer' },
];

/** Settings: the sections the signed-in role may open, and the open one. */
export function SettingsLayout() {
  const session = useSession();
  const { pathname } = useLocation();
  const sections = SECTIONS.filter((s) => session.hasRole(s.role));
  return (
    <>
      <PageHeader title="Settings" />
      <Group component="nav" aria-label="Settings" gap="xs" mb="lg" wrap="wrap">
        {sections.map((section) => {
          const isCurrent = pathname === section.to;
          return (
            <Button
              key={section.to}
              component={Link}
              to={section.to}
              variant={isCurrent ? 'light' : 'subtle'}
              aria-current={isCurrent ? 'page' : undefined}
            >
              {section.label}
            </Button>
          );
        })}
      </Group>
      <Outlet />
    </>
  );
}
