import {
  type Icon,
  IconAddressBook,
  IconHome,
  IconMessage2,
  IconPhone,
  IconSend,
  IconSettings,
} from '@tabler/icons-react';

/** One entry of the main navigation; its label is its accessible name. */
export interface NavItem {
  label: string;
  to: string;
  icon: Icon;
}

/** The main navigation, in order. */
export const NAV_ITEMS: NavItem[] = [
  { label: 'Overview', to: '/', icon: IconHome },
  { label: 'Contacts', to: '/contacts', icon: IconAddressBook },
  { label: 'Templates', to: '/templates', icon: IconMessage2 },
  { label: 'Campaigns', to: '/campaigns', icon: IconSend },
  { label: 'Senders', to: '/senders', icon: IconPhone },
  { label: 'Settings', to: '/settings', icon: IconSettings },
];

/** True when `pathname` is the item's page or one below it. */
export function isActive(item: NavItem, pathname: string): boolean {
  return item.to === '/' ? pathname === '/' : pathname === item.to || pathname.startsWith(`${item.to}/`);
}
