import { Alert } from '@mantine/core';

/** An error about the whole form (one the server did not tie to a field), read out at once. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  );
}
