import { notifications } from '@mantine/notifications';

/** Shows that something worked. */
export function notifyDone(message: string): void {
  notifications.show({ color: 'teal', message });
}

/** Shows why something failed, in the server's words. */
export function notifyFailure(error: unknown): void {
  notifications.show({
    color: 'red',
    title: 'That did not work',
    message: error instanceof Error ? error.message : String(error),
  });
}
