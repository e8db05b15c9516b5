import { Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMemo } from 'react';
import uPlot from 'uplot';
import type { CampaignReport } from '../../api/campaigns.ts';
import { formatCount, formatShare } from '../../components/format.ts';
import { UPlotChart } from '../../components/UPlotChart.tsx';

/** The funnel's stages: how many messages reached each, or got a reply. */
export function funnelOf(counts: Record<string, number>, repliers: number): { stage: string; count: number }[] {
  const n = (s: string) => counts[s] ?? 0;
  const delivered = n('delivered') + n('read');
  const sent = n('accepted') + n('sent') + delivered;
  return [
    { stage: 'Sent', count: sent },
    { stage: 'Delivered', count: delivered },
    { stage: 'Read', count: n('read') },
    { stage: 'Replied', count: repliers },
  ];
}

/** Sent → delivered → read → replied as bars, with the figures and rates in a table beside. */
export function FunnelChart({ stages }: { stages: { stage: string; count: number }[] }) {
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: [-0.5, stages.length - 0.5] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { values: (_u, splits) => splits.map((i) => stages[i]?.stage ?? ''), splits: () => stages.map((_, i) => i) },
        {},
      ],
      series: [
        {},
        {
          label: 'Messages',
          paths: uPlot.paths.bars?.({ size: [0.6, 80] }),
          points: { show: false },
          fill: 'rgba(34, 139, 230, 0.7)',
          stroke: '#1c7ed6',
        },
      ],
    }),
    [stages],
  );
  const data = useMemo<uPlot.AlignedData>(() => [stages.map((_, i) => i), stages.map((s) => s.count)], [stages]);
  const first = stages[0]?.count ?? 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="funnel-heading">
      <Title order={2} size="h4" id="funnel-heading" mb="sm">
        Funnel
      </Title>
      <UPlotChart options={options} data={data} height={200} />
      <Table mt="sm">
        <Table.Caption>
          <VisuallyHidden>Funnel figures</VisuallyHidden>
        </Table.Caption>
        <Table.Tbody>
          {stages.map((s) => (
            <Table.Tr key={s.stage} data-testid={`funnel-${s.stage.toLowerCase()}`}>
              <Table.Th scope="row">{s.stage}</Table.Th>
              <Table.Td>{formatCount(s.count)}</Table.Td>
              <Table.Td c="dimmed">{formatShare(s.count, first)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

const TIMELINE_SERIES = [
  { key: 'sent', label: 'Sent', stroke: '#228be6' },
  { key: 'delivered', label: 'Delivered', stroke: '#12b886' },
  { key: 'read', label: 'Read', stroke: '#40c057' },
  { key: 'failed', label: 'Failed', stroke: '#fa5252' },
] as const;

/** Sent, delivered, read and failed per minute. */
export function TimelineChart({ timeline }: { timeline: CampaignReport['timeline'] }) {
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      series: [{}, ...TIMELINE_SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
    }),
    [],
  );
  const data = useMemo<uPlot.AlignedData>(
    () => [
      timeline.map((m) => Date.parse(m.minute) / 1000),
      ...TIMELINE_SERIES.map((s) => timeline.map((m) => m[s.key])),
    ],
    [timeline],
  );
  const busiest = timeline.reduce((max, m) => Math.max(max, m.sent), 0);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-heading">
      <Title order={2} size="h4" id="timeline-heading" mb="sm">
        Per minute
      </Title>
      {timeline.length === 0 ? (
        <Text c="dimmed">Nothing sent yet.</Text>
      ) : (
        <Stack gap="xs">
          <UPlotChart options={options} data={data} height={220} />
          <Text size="sm" c="dimmed">
            {timeline.length} minute{timeline.length === 1 ? '' : 's'} of activity; at most {formatCount(busiest)} sent
            in one minute.
          </Text>
        </Stack>
      )}
    </Paper>
  );
}
