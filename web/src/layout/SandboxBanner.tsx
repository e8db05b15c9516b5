import { Alert } from '@mantine/core';
import { IconFlask } from '@tabler/icons-react';

/** Says plainly that nothing reaches WhatsApp while the built-in simulator stands in for Meta. */
export function SandboxBanner() {
  return (
    <Alert
      color="yellow"
      variant="light"
      mb="md"
      role="status"
      icon={<IconFlask aria-hidden="true" />}
      title="Sandbox mode"
      // Mantine's yellow title on the light yellow ground reads at about 2:1; the body text colour reads well.
      styles={{ title: { color: 'var(--mantine-color-text)' }, icon: { color: 'var(--mantine-color-text)' } }}
    >
      Chorus is running without WhatsApp credentials: messages go to the built-in simulator, not to real phones. Set the
      WA_* variables to go live.
    </Alert>
  );
}
