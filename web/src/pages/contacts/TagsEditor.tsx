import { Button, Group, TagsInput } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Contact } from '../../api/types.ts';
import { notifyDone, notifyFailure } from '../../components/notify.ts';

/** The contact's tags, changed in place and saved together (they replace the stored ones). */
export function TagsEditor({
  contact,
  path,
  canChange,
  onSaved,
}: {
  contact: Contact;
  path: string;
  canChange: boolean;
  onSaved: () => void;
}) {
  const [tags, setTags] = useState(contact.tags);
  const [isSaving, setSaving] = useState(false);
  const isChanged = tags.join('\n') !== contact.tags.join('\n');
  const save = async () => {
    setSaving(true);
    try {
      await api('PATCH', path, { json: { tags } });
      notifyDone('Tags saved');
      onSaved();
    } catch (error) {
      notifyFailure(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <TagsInput
        label="Tags"
        description={canChange ? 'Enter after each tag.' : undefined}
        value={tags}
        onChange={setTags}
        readOnly={!canChange}
        clearable={canChange}
      />
      {canChange && (
        <Group mt="sm">
          <Button onClick={save} loading={isSaving} disabled={!isChanged}>
            Save tags
          </Button>
        </Group>
      )}
    </>
  );
}
