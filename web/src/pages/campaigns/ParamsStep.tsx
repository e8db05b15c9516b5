import { Alert, Badge, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import type { CampaignPreview, TemplateSummary } from '../../api/campaigns.ts';
import { api } from '../../api/client.ts';
import { MessageBubble } from './MessageBubble.tsx';
import { bodyPlaceholders } from './template-params.ts';
import { toCampaignInput, type WizardForm } from './wizard-form.ts';

const PREVIEWED_RECIPIENTS = 3;

/** Step 4: a value for each of the template's parameters, previewed for real recipients. */
export function ParamsStep({ form, template }: { form: WizardForm; template: TemplateSummary | undefined }) {
  const placeholders = bodyPlaceholders(template);
  const [input] = useDebouncedValue(
    toCampaignInput({ ...form.values, name: form.values.name || 'preview' }, template),
    400,
  );
  const preview = useQuery({
    queryKey: ['campaign-preview', input],
    queryFn: () =>
      api<CampaignPreview>('POST', `/api/v1/campaigns/preview?limit=${PREVIEWED_RECIPIENTS}`, { json: input }),
    enabled: template !== undefined,
    retry: false,
  });
  return (
    <Stack>
      {placeholders.length === 0 && <Text>This template has no parameters.</Text>}
      {placeholders.map((name) => (
        <TextInput
          key={name}
          label={`Parameter {{${name}}}`}
          description="A contact field with a fallback, like {{first_name|there}} or {{attr.code}}, or fixed text"
          {...form.getInputProps(`params.${name}`)}
        />
      ))}
      {preview.error && (
        <Alert color="red" role="alert" title="These parameters do not fit the template">
          {preview.error instanceof Error ? preview.error.message : String(preview.error)}
        </Alert>
      )}
      {preview.data && (
        <Stack gap="xs" aria-live="polite">
          <Text fw={600}>As the first recipients will read it</Text>
          {preview.data.recipients.length === 0 && <Text c="dimmed">The audience is empty.</Text>}
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            {preview.data.recipients.map((r) => (
              <Stack key={r.contact_id} gap={4}>
                <Group gap="xs">
                  <Text size="sm" fw={500}>
                    {r.name ?? r.phone}
                  </Text>
                  {!r.eligible && <Badge color="orange">skipped</Badge>}
                </Group>
                {r.message ? (
                  <MessageBubble label={`Preview for ${r.name ?? r.phone}`} message={r.message} />
                ) : (
                  <Text size="sm" c="orange.8">
                    {r.reason}
                  </Text>
                )}
              </Stack>
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}
