import { Box, Paper, Stack, Text } from '@mantine/core';
import type { MessagePreview } from '../../api/campaigns.ts';

/** A message drawn like a WhatsApp bubble: header, body, footer and buttons as the recipient reads them. */
export function MessageBubble({ message, label }: { message: MessagePreview; label: string }) {
  return (
    <Box p="sm" bg="#e5ddd5" style={{ borderRadius: 8 }} role="figure" aria-label={label}>
      <Paper p="sm" radius="md" maw={360} bg="#dcf8c6" shadow="xs">
        {message.header && (
          <Text fw={700} size="sm" mb={4}>
            {message.header}
          </Text>
        )}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {message.body}
        </Text>
        {message.footer && (
          <Text size="xs" c="dimmed" mt={4}>
            {message.footer}
          </Text>
        )}
      </Paper>
      {message.buttons.length > 0 && (
        <Stack gap={4} mt={4} maw={360}>
          {message.buttons.map((b) => (
            <Paper key={b} p={6} radius="md" ta="center" shadow="xs">
              <Text size="sm" c="blue">
                {b}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
    </Box>
  );
}
