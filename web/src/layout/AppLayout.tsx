import { AppShell, Burger, Group, NavLink, ScrollArea } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.ts';
import { Logo } from '../components/Logo.tsx';
import { isActive, NAV_ITEMS } from './nav-items.ts';
import { SandboxBanner } from './SandboxBanner.tsx';
import { SkipLink } from './SkipLink.tsx';
import { UserMenu } from './UserMenu.tsx';

/** The app shell: header, navigation (a burger menu on a phone), the sandbox banner and the page. */
export function AppLayout() {
  const [isOpen, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const session = useSession();
  // Collapsed on a phone, the navigation only slides off screen: hide it from keyboards and screen readers too.
  const isPhone = useMediaQuery('(max-width: 48em)');
  const isHidden = isPhone === true && !isOpen;
  // On a phone the navigation covers the page: close it once a link was followed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation on purpose
  useEffect(() => close(), [pathname, close]);

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !isOpen } }}
      padding="md"
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={isOpen}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={isOpen ? 'Close navigation' : 'Open navigation'}
              aria-expanded={isOpen}
              aria-controls="main-navigation"
            />
            <Logo />
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        p="xs"
        component="nav"
        aria-label="Main"
        id="main-navigation"
        inert={isHidden}
        style={isHidden ? { visibility: 'hidden' } : undefined}
      >
        <AppShell.Section grow component={ScrollArea}>
          {NAV_ITEMS.map((item) => {
            const active = isActive(item, pathname);
            return (
              <NavLink
                key={item.to}
                component={Link}
                to={item.to}
                label={item.label}
                active={active}
                aria-current={active ? 'page' : undefined}
                leftSection={<item.icon size={18} stroke={1.6} aria-hidden="true" />}
              />
            );
          })}
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {session.me.sandbox && <SandboxBanner />}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
