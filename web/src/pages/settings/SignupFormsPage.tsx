import { Anchor, Badge, Button, Code, Modal, Stack, Table, Text } from '@mantine/core';
import { IconForms } from '@tabler/icons-react';
import { useState } from 'react';
import type { SignupForm } from '../../api/forms-and-webhooks.ts';
import { useList } from '../../api/use-list.ts';
import { useSession } from '../../auth/session.ts';
import { ConfirmRemoval } from '../../components/ConfirmRemoval.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { SectionToolbar } from '../../components/SectionToolbar.tsx';
import { CreateSignupFormModal } from './CreateSignupFormModal.tsx';

/** Hosted sign-up forms: their pages, how to embed them, created and removed here. */
export function SignupFormsPage() {
  const { query: forms, refresh } = useList<SignupForm>('forms', '/api/v1/forms?limit=1000');
  const [isCreating, setCreating] = useState(false);
  const [embedding, setEmbedding] = useState<SignupForm | null>(null);
  const [removing, setRemoving] = useState<SignupForm | null>(null);
  const canChange = useSession().hasRole('operator');

  return (
    <>
      <SectionToolbar
        action={
          canChange && (
            <Button leftSection={<IconForms size={16} aria-hidden="true" />} onClick={() => setCreating(true)}>
              New sign-up form
            </Button>
          )
        }
      >
        People subscribe on a page Chorus hosts; each subscription lands in the consent ledger with the exact wording
        shown.
      </SectionToolbar>
      {forms.error && <QueryError error={forms.error} onRetry={() => forms.refetch()} />}
      {forms.data && (
        <ListTable caption="Sign-up forms" columns={['Title', 'Page', 'Purpose', 'Tags']}>
          {forms.data.data.map((form) => (
            <Table.Tr key={form.id}>
              <Table.Td>
                {form.title}
                {form.double_opt_in && (
                  <Badge ml="xs" variant="light">
                    double opt-in
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Anchor href={form.url} target="_blank" rel="noopener">
                  /join/{form.slug}
                </Anchor>
              </Table.Td>
              <Table.Td>{form.purpose}</Table.Td>
              <Table.Td>{form.tags.join(', ')}</Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  onClick={() => setEmbedding(form)}
                  aria-label={`Embed ${form.title}`}
                >
                  Embed
                </Button>
                {canChange && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setRemoving(form)}
                    aria-label={`Remove ${form.title}`}
                  >
                    Remove
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </ListTable>
      )}
      {isCreating && <CreateSignupFormModal onClose={() => setCreating(false)} onCreated={refresh} />}
      {embedding && (
        <Modal opened onClose={() => setEmbedding(null)} title={`Embed ${embedding.title}`} centered size="xl">
          <Stack>
            <Text size="sm">Show the hosted page in a frame:</Text>
            <Code block>{embedding.embed.iframe}</Code>
            <Text size="sm">Or paste a plain HTML form to style as your site likes:</Text>
            <Code block>{embedding.embed.html}</Code>
          </Stack>
        </Modal>
      )}
      {removing && (
        <ConfirmRemoval
          title={`Remove ${removing.title}?`}
          message="Its page stops answering. The consent it collected stays in the ledger."
          confirmLabel="Remove form"
          path={`/api/v1/forms/${removing.id}`}
          doneMessage={`${removing.title} is removed`}
          onRemoved={refresh}
          onClose={() => setRemoving(null)}
        />
      )}
    </>
  );
}
