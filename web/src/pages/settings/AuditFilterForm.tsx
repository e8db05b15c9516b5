import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useEffect, useState } from 'react';

/** The audit log's filters: an action or a group of actions, and who acted. */
export interface AuditFilters {
  action: string;
  actor: string;
}

// Groups of actions; a full action (campaign.start) is accepted too, and the server names a wrong one.
const ACTION_GROUPS = [
  'session',
  'user',
  'api_key',
  'contacts',
  'contact',
  'templates',
  'campaign',
  'sender',
  'settings',
];

/** The filter fields, an Apply button and the CSV export of what the filters select. */
export function AuditFilterForm({
  initial,
  onApply,
  fieldError,
  exportHref,
}: {
  initial: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  fieldError: { field: string; message: string } | null;
  exportHref: string;
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<AuditFilters>>({});
  useEffect(() => setErrors(fieldError ? { [fieldError.field]: fieldError.message } : {}), [fieldError]);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onApply({ action: values.action.trim(), actor: values.actor.trim() });
      }}
    >
      <Group align="flex-end" mb="lg" wrap="wrap">
        <Autocomplete
          label="Action"
          placeholder="e.g. campaign or session.sign_in"
          data={ACTION_GROUPS}
          value={values.action}
          onChange={(action) => setValues((v) => ({ ...v, action }))}
          error={errors.action}
          w={260}
        />
        <TextInput
          label="Actor"
          placeholder="an email, api_key, cli or system"
          value={values.actor}
          onChange={(event) => setValues((v) => ({ ...v, actor: event.currentTarget.value }))}
          error={errors.actor}
          w={260}
        />
        <Button type="submit">Apply filters</Button>
        <Button
          component="a"
          href={exportHref}
          download
          variant="default"
          leftSection={<IconDownload size={16} aria-hidden="true" />}
        >
          Export CSV
        </Button>
      </Group>
    </form>
  );
}
