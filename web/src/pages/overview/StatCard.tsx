import { Group, Paper, Text } from '@mantine/core';

/** One figure of the day with its share of what was sent. */
export function StatCard({
  label,
  value,
  share,
  tone,
}: {
  label: string;
  value: string;
  share?: string;
  tone?: 'red';
}) {
  return (
    <Paper withBorder p="md" role="group" aria-label={label}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Group gap="xs" align="baseline">
        <Text size="xl" fw={700} c={tone}>
          {value}
        </Text>
        {share && (
          <Text size="sm" c="dimmed">
            {share}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
