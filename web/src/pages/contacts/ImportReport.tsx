import { Alert, Group, Table, Text } from '@mantine/core';
import type { ImportReport as Report } from '../../api/types.ts';
import { formatCount } from '../../components/format.ts';

/** What an import did, and each refused row with its line in the file and the reason. */
export function ImportReport({ report }: { report: Report }) {
  const hidden = report.invalid - report.errors.length;
  return (
    <Alert color={report.invalid > 0 ? 'yellow' : 'teal'} title="Import finished" role="status">
      <Group gap="lg" mb={report.errors.length > 0 ? 'sm' : 0}>
        <Text size="sm">{formatCount(report.imported)} new</Text>
        <Text size="sm">{formatCount(report.updated)} updated</Text>
        <Text size="sm">{formatCount(report.duplicates)} repeated in the file</Text>
        <Text size="sm">{formatCount(report.invalid)} refused</Text>
      </Group>
      {report.errors.length > 0 && (
        <Table.ScrollContainer minWidth={420} mah={320}>
          <Table striped withTableBorder bg="var(--mantine-color-body)">
            <Table.Caption>Rows not imported</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Row</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.errors.map((error) => (
                <Table.Tr key={error.row}>
                  <Table.Td>{error.row}</Table.Td>
                  <Table.Td>{error.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {hidden > 0 && (
        <Text size="sm" mt="xs">
          And {formatCount(hidden)} more refused rows not listed.
        </Text>
      )}
    </Alert>
  );
}
