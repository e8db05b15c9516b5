import { Badge, Button, Grid, Table, Text, Title, Tooltip, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { useList } from '../../api/use-list.ts';
import { useSession } from '../../auth/session.ts';
import { formatDateTime } from '../../components/format.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { WhatsAppBubble } from '../../components/WhatsAppBubble.tsx';
import { CreateTemplateModal } from './CreateTemplateModal.tsx';
import { bubbleOf, type TemplateComponent } from './template-content.ts';

/** A template as GET /api/v1/templates lists it. */
interface Template {
  id: string | null;
  name: string;
  language: string;
  status: string;
  status_reason: string | null;
  category: string;
  quality_score: string | null;
  components: TemplateComponent[];
  synced_at: string;
}

const STATUS_COLOR: Record<string, string> = {
  APPROVED: 'teal',
  PENDING: 'blue',
  REJECTED: 'red',
  PAUSED: 'yellow',
  DISABLED: 'red',
};
// Meta's quality rating of a template (reference/cloud-api.md §5): it paces, then pauses a RED
// template for 3 h, then 6 h, then disables it.
const QUALITY: Record<string, { color: string; meaning: string }> = {
  GREEN: { color: 'teal', meaning: 'High quality: recipients respond well.' },
  YELLOW: { color: 'yellow', meaning: 'Medium: recipients block or report it more; Meta may pace its sends.' },
  RED: { color: 'red', meaning: 'Low: Meta paces it, then pauses it for 3 h, then 6 h, then disables it.' },
  UNKNOWN: { color: 'gray', meaning: 'Not rated yet: too few recipients so far.' },
};

const keyOf = (t: Template) => `${t.name}/${t.language}`;

/** The templates Meta approved (or is reviewing) with status, category and quality, a preview, sync and submit. */
export function TemplatesPage() {
  const session = useSession();
  const canChange = session.hasRole('operator');
  const { query: templates, refresh } = useList<Template>('templates', '/api/v1/templates');
  const [selected, setSelected] = useState<string | null>(null);
  const [isSyncing, setSyncing] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const list = templates.data?.data ?? [];
  const shown = list.find((t) => keyOf(t) === selected) ?? list[0];

  const sync = async () => {
    setSyncing(true);
    try {
      const answer = await api<{ synced: number }>('POST', '/api/v1/templates/sync', { json: {} });
      notifyDone(`${answer.synced} templates synced from Meta`);
      await refresh();
    } catch (error) {
      notifyFailure(error);
    } finally {
      setSyncing(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Templates"
        description="Messages Meta approved for sending outside a conversation. Campaigns send only approved ones."
        actions={
          canChange && (
            <>
              <Button
                variant="default"
                leftSection={<IconRefresh size={16} aria-hidden="true" />}
                onClick={sync}
                loading={isSyncing}
              >
                Sync from Meta
              </Button>
              <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setCreating(true)}>
                New template
              </Button>
            </>
          )
        }
      />
      {templates.error && <QueryError error={templates.error} onRetry={() => templates.refetch()} />}
      {templates.data && list.length === 0 && (
        <Text c="dimmed">No templates yet: sync them from Meta, or submit a new one.</Text>
      )}
      {list.length > 0 && (
        <Grid gap="xl">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover>
                <Table.Caption>
                  <VisuallyHidden>Templates</VisuallyHidden>
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Name</Table.Th>
                    <Table.Th scope="col">Language</Table.Th>
                    <Table.Th scope="col">Category</Table.Th>
                    <Table.Th scope="col">Status</Table.Th>
                    <Table.Th scope="col">Quality</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.map((template) => (
                    <Table.Tr
                      key={keyOf(template)}
                      bg={shown && keyOf(shown) === keyOf(template) ? 'var(--mantine-color-teal-light)' : undefined}
                    >
                      <Table.Td>
                        <UnstyledButton
                          onClick={() => setSelected(keyOf(template))}
                          aria-pressed={shown !== undefined && keyOf(shown) === keyOf(template)}
                          aria-label={`Preview ${template.name} (${template.language})`}
                          fw={500}
                          fz="sm"
                          td="underline"
                        >
                          {template.name}
                        </UnstyledButton>
                      </Table.Td>
                      <Table.Td>{template.language}</Table.Td>
                      <Table.Td>{template.category.toLowerCase()}</Table.Td>
                      <Table.Td>
                        <Badge color={STATUS_COLOR[template.status] ?? 'gray'} variant="light" tt="none">
                          {template.status.toLowerCase()}
                        </Badge>
                        {template.status_reason && (
                          <Text size="xs" c="dimmed">
                            {template.status_reason}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Quality score={template.quality_score} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            {shown && (
              <section aria-labelledby="preview-heading">
                <Title order={2} size="h4" id="preview-heading" mb="xs">
                  Preview: {shown.name}
                </Title>
                <Text size="xs" c="dimmed" mb="sm">
                  With the sample values it was submitted with · synced {formatDateTime(shown.synced_at)}
                </Text>
                <WhatsAppBubble content={bubbleOf(shown.components)} label={`How ${shown.name} reads on a phone`} />
              </section>
            )}
          </Grid.Col>
        </Grid>
      )}
      {isCreating && (
        <CreateTemplateModal
          onClose={() => setCreating(false)}
          onCreated={(name, language) => {
            setCreating(false);
            setSelected(`${name}/${language}`);
            void refresh();
          }}
        />
      )}
    </>
  );
}

function Quality({ score }: { score: string | null }) {
  if (!score) return <>—</>;
  const quality = QUALITY[score] ?? { color: 'gray', meaning: score };
  return (
    <Tooltip label={quality.meaning} multiline w={260}>
      <Badge color={quality.color} variant="light" tt="none" tabIndex={0} aria-label={`${score}: ${quality.meaning}`}>
        {score.toLowerCase()}
      </Badge>
    </Tooltip>
  );
}
