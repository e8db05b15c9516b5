import { Button, Group, Input, Paper, Select, Stack, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useId } from '@mantine/hooks';
import { IconFileTypeCsv, IconUpload } from '@tabler/icons-react';
import { type ChangeEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { ImportReport as Report } from '../../api/types.ts';
import { FormError } from '../../components/FormError.tsx';
import { changedMapping, defaultTarget, targetOptions } from './column-targets.ts';
import { type CsvPreview, readCsvPreview } from './csv-preview.ts';
import { ImportReport } from './ImportReport.tsx';

/**
 * Uploads a contacts CSV: the first rows are shown as read from the file, each column's meaning
 * can be changed, tags and a consent source apply to every row, and the report lists bad rows.
 */
export function ImportSection({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [targets, setTargets] = useState<string[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  const [consentSource, setConsentSource] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [isImporting, setImporting] = useState(false);
  const fileInputId = useId();

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setPreview(null);
    setReport(null);
    setError(null);
    if (!chosen) return;
    try {
      const read = await readCsvPreview(chosen);
      setPreview(read);
      setTargets(read.headers.map(defaultTarget));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const submit = async () => {
    if (!file) {
      setError('Choose a CSV file first.');
      return;
    }
    setImporting(true);
    setError(null);
    try {
      const query = new URLSearchParams({ file_name: file.name });
      for (const tag of tags) query.append('tag', tag);
      if (consentSource.trim()) query.set('consent_source', consentSource.trim());
      const mapping = preview ? changedMapping(preview.headers, targets) : {};
      if (Object.keys(mapping).length > 0) query.set('mapping', JSON.stringify(mapping));
      setReport(await api<Report>('POST', `/api/v1/contacts/import?${query}`, { file }));
      onImported();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setImporting(false);
    }
  };

  return (
    <Paper withBorder p="md" mb="xl" component="section" aria-labelledby="import-heading">
      <Title order={2} size="h4" id="import-heading" mb="xs">
        Import contacts
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        A header row and a phone column are needed; any other column becomes an attribute usable as{' '}
        <code>{'{{attr.NAME}}'}</code>. Rows with no opt-in time and no consent source are stored without consent and
        never get marketing.
      </Text>
      <Stack>
        <FormError message={error} />
        {/* A native file input, so the label names the control itself (screen readers, setInputFiles). */}
        <Input.Wrapper label="CSV file" description="Saved from a spreadsheet as CSV (UTF-8)." id={fileInputId}>
          <Input
            id={fileInputId}
            type="file"
            accept=".csv,text/csv,text/plain"
            leftSection={<IconFileTypeCsv size={16} aria-hidden="true" />}
            onChange={(event: ChangeEvent<HTMLInputElement>) => choose(event.currentTarget.files?.[0] ?? null)}
            styles={{ input: { paddingTop: 5 } }}
          />
        </Input.Wrapper>
        {preview && (
          <PreviewTable
            preview={preview}
            targets={targets}
            onTarget={(index, target) => setTargets((all) => all.map((t, i) => (i === index ? target : t)))}
          />
        )}
        <Group grow align="flex-start" wrap="wrap">
          <TagsInput
            label="Tags"
            description="Added to every imported contact (Enter after each)."
            value={tags}
            onChange={setTags}
            clearable
          />
          <TextInput
            label="Consent source"
            description="Where these people opted in, e.g. shop checkout. Leave empty if they did not."
            value={consentSource}
            onChange={(event) => setConsentSource(event.currentTarget.value)}
          />
        </Group>
        <Group>
          <Button leftSection={<IconUpload size={16} aria-hidden="true" />} loading={isImporting} onClick={submit}>
            Import
          </Button>
        </Group>
        {report && <ImportReport report={report} />}
      </Stack>
    </Paper>
  );
}

function PreviewTable({
  preview,
  targets,
  onTarget,
}: {
  preview: CsvPreview;
  targets: string[];
  onTarget: (index: number, target: string) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={Math.max(480, preview.headers.length * 170)}>
      <Table withTableBorder striped>
        <Table.Caption>The first {preview.rows.length} rows of the file, and what each column becomes</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {preview.headers.map((header, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns have no id but their place
              <Table.Th key={index} scope="col">
                <Text size="sm" fw={600} mb={4}>
                  {header || `Column ${index + 1}`}
                </Text>
                <Select
                  aria-label={`Column ${header || index + 1} becomes`}
                  size="xs"
                  data={targetOptions(header)}
                  value={targets[index] ?? null}
                  onChange={(value) => value && onTarget(index, value)}
                  allowDeselect={false}
                />
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.rows.map((row, rowIndex) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: preview rows are fixed for the file
            <Table.Tr key={rowIndex}>
              {preview.headers.map((_, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells have no id but their place
                <Table.Td key={index}>{row[index] ?? ''}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
