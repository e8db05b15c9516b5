import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { ME_KEY } from '../auth/queries.ts';
import { AuthCard } from '../components/AuthCard.tsx';
import { PasswordChangeForm } from '../components/PasswordChangeForm.tsx';

/** After an admin set the password (an invitation, a reset), the person chooses their own first. */
export function ChangePasswordPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <AuthCard
      title="Choose your password"
      intro="An admin set your current password. Choose one only you know before you continue."
    >
      <PasswordChangeForm
        submitLabel="Save and continue"
        onChanged={async () => {
          await queryClient.invalidateQueries({ queryKey: ME_KEY });
          await navigate('/', { replace: true });
        }}
      />
    </AuthCard>
  );
}
