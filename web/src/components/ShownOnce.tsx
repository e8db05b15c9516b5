import { ActionIcon, Alert, Code, CopyButton, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';

/** A secret the server shows once (an API key, a temporary password), with a copy button. */
export function ShownOnce({
  label,
  secret,
  note = 'It is shown only this once; Chorus keeps only a hash of it.',
}: {
  label: string;
  secret: string;
  note?: string;
}) {
  return (
    <Alert color="yellow" variant="light" title={`Copy the ${label} now`}>
      {note}
      <Group gap="xs" mt="sm" wrap="nowrap">
        <Code aria-label={label} style={{ wordBreak: 'break-all', fontSize: 14 }}>
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'}>
              <ActionIcon variant="subtle" onClick={copy} aria-label={copied ? 'Copied' : `Copy the ${label}`}>
                {copied ? <IconCheck size={16} aria-hidden="true" /> : <IconCopy size={16} aria-hidden="true" />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
