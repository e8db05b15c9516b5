import { Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useSession } from '../../auth/session.ts';
import { PasswordChangeForm } from '../../components/PasswordChangeForm.tsx';

/** The signed-in person's own account: who they are and their password. */
export function AccountPage() {
  const session = useSession();
  const user = session.me.user;
  return (
    <Stack gap="lg">
      <Text>
        Signed in as <strong>{session.name}</strong> with the <strong>{session.me.role}</strong> role.
      </Text>
      {user && (
        <section aria-labelledby="password-heading">
          <Title order={2} size="h4" id="password-heading" mb="sm">
            Change your password
          </Title>
          <PasswordChangeForm
            submitLabel="Change password"
            onChanged={() =>
              notifications.show({ color: 'teal', message: 'Your password is changed; your other sessions ended.' })
            }
          />
        </section>
      )}
    </Stack>
  );
}
