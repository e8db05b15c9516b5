import { api } from '../api/client.ts';
import { ConfirmModal } from './ConfirmModal.tsx';
import { notifyDone, notifyFailure } from './notify.ts';

/**
 * Asks before removing one thing, then DELETEs `path`, says it is done and refreshes the list
 * (`onRemoved`); a refusal is shown as a notification. Closes either way.
 */
export function ConfirmRemoval({
  title,
  message,
  confirmLabel,
  path,
  doneMessage,
  onRemoved,
  onClose,
}: {
  title: string;
  message: string;
  confirmLabel: string;
  path: string;
  doneMessage: string;
  onRemoved: () => Promise<unknown>;
  onClose: () => void;
}) {
  return (
    <ConfirmModal
      title={title}
      message={message}
      confirmLabel={confirmLabel}
      onClose={onClose}
      onConfirm={async () => {
        try {
          await api('DELETE', path);
          notifyDone(doneMessage);
          await onRemoved();
        } catch (error) {
          notifyFailure(error);
        }
        onClose();
      }}
    />
  );
}
