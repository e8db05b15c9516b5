import { Badge } from '@mantine/core';
import type { Contact } from '../../api/types.ts';

/** Whether the contact may get marketing: suppressed (and why), consented, or not asked. */
export function ConsentBadge({ contact }: { contact: Contact }) {
  if (contact.suppressed) {
    return (
      <Badge color="red" variant="light" tt="none">
        {contact.suppressed.replace(/_/g, ' ')}
      </Badge>
    );
  }
  if (contact.consent.marketing) {
    return (
      <Badge color="teal" variant="light" tt="none">
        marketing
      </Badge>
    );
  }
  if (contact.consent.utility) {
    return (
      <Badge color="blue" variant="light" tt="none">
        utility only
      </Badge>
    );
  }
  return (
    <Badge color="gray" variant="light" tt="none">
      no consent
    </Badge>
  );
}
