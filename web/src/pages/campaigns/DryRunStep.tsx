import { Alert, Checkbox, List, Loader, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import type { DryRun } from '../../api/campaigns.ts';
import { formatCount } from '../../components/format.ts';
import { StatCard } from '../overview/StatCard.tsx';

/** Step 6: who is left out and why, cost, duration, and the content findings; errors block, warnings ask. */
export function DryRunStep({
  dryRun,
  error,
  isConfirmed,
  onConfirm,
}: {
  dryRun: DryRun | undefined;
  error: unknown;
  isConfirmed: boolean;
  onConfirm: (confirmed: boolean) => void;
}) {
  if (error) {
    return (
      <Alert color="red" role="alert" title="The dry run failed">
        {error instanceof Error ? error.message : String(error)}
      </Alert>
    );
  }
  if (!dryRun) return <Loader aria-label="Running the dry run" />;
  const errors = dryRun.content.filter((f) => f.severity === 'error');
  const excluded = Object.entries(dryRun.excluded).filter(([, n]) => n > 0);
  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <StatCard label="Audience" value={formatCount(dryRun.audience)} />
        <StatCard label="Will be sent" value={formatCount(dryRun.eligible)} />
        <StatCard
          label="Estimated cost"
          value={`${dryRun.estimated_cost.total.toFixed(2)} ${dryRun.estimated_cost.currency}`}
        />
        <StatCard label="Duration" value={dryRun.duration_note} />
      </SimpleGrid>
      {excluded.length > 0 && (
        <Table>
          <Table.Caption>Left out, and why</Table.Caption>
          <Table.Tbody>
            {excluded.map(([reason, n]) => (
              <Table.Tr key={reason}>
                <Table.Td>{reason.replaceAll('_', ' ')}</Table.Td>
                <Table.Td>{formatCount(n)}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {(dryRun.examples[reason] ?? []).map((e) => `${e.phone}: ${e.detail}`).join('; ')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {errors.length > 0 && (
        <Alert color="red" role="alert" title="Meta would reject this: fix it before starting">
          <List size="sm">
            {errors.map((f) => (
              <List.Item key={`${f.code}-${f.where}`}>
                {f.message} ({f.where}): {f.why}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {dryRun.warnings.length > 0 && (
        <Alert color="yellow" title="Warnings">
          <List size="sm">
            {dryRun.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
          <Checkbox
            mt="sm"
            label="I have read the warnings and want to go on"
            checked={isConfirmed}
            onChange={(e) => onConfirm(e.currentTarget.checked)}
          />
        </Alert>
      )}
      {dryRun.warnings.length === 0 && errors.length === 0 && <Text c="teal.8">No content problems found.</Text>}
    </Stack>
  );
}

/** Whether the dry run lets the campaign go on: no errors, and warnings confirmed. */
export function isDryRunPassed(dryRun: DryRun | undefined, isConfirmed: boolean): boolean {
  if (!dryRun) return false;
  if (dryRun.content.some((f) => f.severity === 'error')) return false;
  return dryRun.warnings.length === 0 || isConfirmed;
}
