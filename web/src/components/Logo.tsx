import { Group, Text } from '@mantine/core';

/** Chorus's mark and name. */
export function Logo() {
  return (
    <Group gap="xs" wrap="nowrap">
      <svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="var(--mantine-color-teal-7)" />
        <path d="M9 11h14M9 16h10M9 21h6" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <Text fw={700} size="lg">
        Chorus
      </Text>
    </Group>
  );
}
