import { Box, Paper, Stack, Text } from '@mantine/core';

/** The texts of one message as the recipient reads them. */
export interface BubbleContent {
  header: string | null;
  body: string;
  footer: string | null;
  buttons: string[];
}

const CHAT_BACKGROUND = '#efeae2';
const BUBBLE_BACKGROUND = '#ffffff';
const BUTTON_COLOR = '#00a5f4';

/** A message drawn as WhatsApp shows it on a phone: a white bubble on the chat background, buttons under it. */
export function WhatsAppBubble({ content, label }: { content: BubbleContent; label: string }) {
  return (
    <Box
      role="figure"
      aria-label={label}
      p="md"
      style={{ background: CHAT_BACKGROUND, borderRadius: 12, maxWidth: 380 }}
    >
      <Stack gap={4} maw={320}>
        <Paper p="xs" radius="md" shadow="xs" bg={BUBBLE_BACKGROUND} c="#111b21">
          {content.header && (
            <Text fw={700} size="sm" mb={4}>
              {content.header}
            </Text>
          )}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {content.body}
          </Text>
          {content.footer && (
            <Text size="xs" c="#667781" mt={4}>
              {content.footer}
            </Text>
          )}
        </Paper>
        {content.buttons.map((button) => (
          <Paper key={button} p={6} radius="md" shadow="xs" bg={BUBBLE_BACKGROUND} ta="center">
            <Text size="sm" c={BUTTON_COLOR} fw={500}>
              {button}
            </Text>
          </Paper>
        ))}
      </Stack>
    </Box>
  );
}
