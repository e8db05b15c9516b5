import { Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A line on what a settings section is for, and its main action on the right. */
export function SectionToolbar({ children, action }: { children: ReactNode; action: ReactNode }) {
  return (
    <Group justify="space-between" mb="md">
      <Text c="dimmed" size="sm">
        {children}
      </Text>
      {action}
    </Group>
  );
}
