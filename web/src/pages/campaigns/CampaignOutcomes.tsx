import { Badge, Paper, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { CampaignReport } from '../../api/campaigns.ts';
import { formatCount } from '../../components/format.ts';
import { StatCard } from '../overview/StatCard.tsx';

/** Failures by Meta's code with the catalogue's explanation and next step; skips; replies, opt-outs, cost. */
export function CampaignOutcomes({ report }: { report: CampaignReport }) {
  const money = (n: number) => `${n.toFixed(2)} ${report.cost.currency}`;
  return (
    <>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <StatCard
          label="Replies"
          value={formatCount(report.replies.messages)}
          share={`from ${formatCount(report.replies.from_numbers)}`}
        />
        <StatCard label="Opt-outs" value={formatCount(report.opt_outs.numbers)} />
        <StatCard label="Cost so far" value={money(report.cost.actual.total)} />
        <StatCard label="Estimated cost" value={money(report.cost.estimate.total)} />
      </SimpleGrid>
      <Paper withBorder p="md" component="section" aria-labelledby="failures-heading">
        <Title order={2} size="h4" id="failures-heading" mb="sm">
          Failures by reason
        </Title>
        {report.failures.length === 0 ? (
          <Text c="dimmed">No message failed.</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>Messages</Table.Th>
                  <Table.Th>What it means</Table.Th>
                  <Table.Th>What to do</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.failures.map((f) => (
                  <Table.Tr key={String(f.code)}>
                    <Table.Td>
                      {f.code ?? '—'}
                      {f.resendable && (
                        <Badge ml="xs" size="xs" variant="light">
                          retryable
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{formatCount(f.count)}</Table.Td>
                    <Table.Td>{f.explanation}</Table.Td>
                    <Table.Td>{f.action}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {report.skipped.length > 0 && (
        <Paper withBorder p="md" component="section" aria-labelledby="skipped-heading">
          <Title order={2} size="h4" id="skipped-heading" mb="sm">
            Not sent, by policy
          </Title>
          <Table>
            <Table.Tbody>
              {report.skipped.map((s) => (
                <Table.Tr key={s.reason}>
                  <Table.Th scope="row">{s.reason}</Table.Th>
                  <Table.Td>{formatCount(s.count)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
    </>
  );
}
