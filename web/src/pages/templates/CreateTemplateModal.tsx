import { Grid, Modal, Select, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import { placeApiError } from '../../api/form-errors.ts';
import { FormError } from '../../components/FormError.tsx';
import { ModalActions } from '../../components/ModalActions.tsx';
import { notifyDone } from '../../components/notify.ts';
import { WhatsAppBubble } from '../../components/WhatsAppBubble.tsx';
import { fillSamples, type TemplateComponent, variablesOf } from './template-content.ts';

interface Values {
  name: string;
  language: string;
  category: string;
  header: string;
  body: string;
  footer: string;
  buttons: string[];
  samples: Record<string, string>;
}

const CATEGORIES = [
  { value: 'MARKETING', label: 'Marketing: offers, news, reminders to buy' },
  { value: 'UTILITY', label: 'Utility: about an order or account the person has' },
];

/** Writes a new template with a live preview and submits it to Meta for review (it is PENDING until Meta decides). */
export function CreateTemplateModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (name: string, language: string) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: {
      name: '',
      language: 'en_US',
      category: 'MARKETING',
      header: '',
      body: '',
      footer: '',
      buttons: [],
      samples: {},
    },
    validate: {
      name: (name) =>
        /^[a-z0-9_]+$/.test(name) ? null : 'Use lower-case letters, digits and underscores, like spring_sale',
      body: (body) => (body.trim() ? null : 'Write the message'),
    },
  });
  const { values } = form;
  const variables = variablesOf(values.body);
  const submit = form.onSubmit(async (input) => {
    setFormError(null);
    try {
      await api('POST', '/api/v1/templates', {
        json: { name: input.name, language: input.language, category: input.category, components: componentsOf(input) },
      });
      notifyDone(`${input.name} is submitted to Meta for review`);
      onCreated(input.name, input.language);
    } catch (error) {
      setFormError(placeApiError(form, error, { components: 'body' }));
    }
  });

  return (
    <Modal opened onClose={onClose} title="New template" centered size="xl">
      <form onSubmit={submit} noValidate>
        <Grid gap="xl">
          <Grid.Col span={{ base: 12, sm: 7 }}>
            <Stack>
              <FormError message={formError} />
              <TextInput
                label="Name"
                description="Lower-case letters, digits and underscores."
                required
                data-autofocus
                {...form.getInputProps('name')}
              />
              <Grid>
                <Grid.Col span={6}>
                  <TextInput
                    label="Language"
                    description="Like en_US or de."
                    required
                    {...form.getInputProps('language')}
                  />
                </Grid.Col>
                <Grid.Col span={6}>
                  <Select
                    label="Category"
                    data={CATEGORIES}
                    allowDeselect={false}
                    required
                    {...form.getInputProps('category')}
                  />
                </Grid.Col>
              </Grid>
              <TextInput
                label="Header"
                description="Optional, up to 60 characters."
                maxLength={60}
                {...form.getInputProps('header')}
              />
              <Textarea
                label="Body"
                description="Variables are {{1}}, {{2}}… in order, never at the very start or end."
                required
                autosize
                minRows={3}
                maxLength={1024}
                {...form.getInputProps('body')}
              />
              {variables.map((name) => (
                <TextInput
                  key={name}
                  label={`Sample for {{${name}}}`}
                  description="Meta reviews the template with this value."
                  required
                  {...form.getInputProps(`samples.${name}`)}
                />
              ))}
              <TextInput
                label="Footer"
                description="Optional, up to 60 characters, no variables."
                maxLength={60}
                {...form.getInputProps('footer')}
              />
              <TagsInput
                label="Quick reply buttons"
                description="Up to 3; a marketing template should offer a way to stop, e.g. Stop promotions."
                maxTags={3}
                {...form.getInputProps('buttons')}
              />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 5 }}>
            <Text size="sm" fw={500} mb="xs">
              Preview
            </Text>
            <WhatsAppBubble
              label="How the new template reads on a phone"
              content={{
                header: values.header.trim() || null,
                body: fillSamples(values.body, values.samples) || '…',
                footer: values.footer.trim() || null,
                buttons: values.buttons,
              }}
            />
          </Grid.Col>
        </Grid>
        <Stack mt="lg">
          <ModalActions submitLabel="Submit for approval" isSubmitting={form.submitting} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** Meta's component list for the form: samples go into the body's example, as review requires. */
function componentsOf(values: Values): TemplateComponent[] {
  const variables = variablesOf(values.body);
  const components: TemplateComponent[] = [];
  if (values.header.trim()) components.push({ type: 'HEADER', format: 'TEXT', text: values.header.trim() });
  components.push({
    type: 'BODY',
    text: values.body.trim(),
    ...(variables.length > 0 && { example: { body_text: [variables.map((name) => values.samples[name] ?? '')] } }),
  });
  if (values.footer.trim()) components.push({ type: 'FOOTER', text: values.footer.trim() });
  if (values.buttons.length > 0) {
    components.push({ type: 'BUTTONS', buttons: values.buttons.map((text) => ({ type: 'QUICK_REPLY', text })) });
  }
  return components;
}
