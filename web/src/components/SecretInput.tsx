import { PasswordInput, type PasswordInputProps } from '@mantine/core';

// Mantine names its show/hide button "Toggle password visibility", so "Password" would then label
// two elements; outside scripts find the sign-in field by that one name.
const TOGGLE = { 'aria-label': 'Show or hide what you typed' };

/**
 * A password field whose show/hide button does not share the field's name, and which tells
 * screen readers when it holds an error (Mantine's own sets no aria-invalid on it).
 */
export function SecretInput(props: PasswordInputProps) {
  return (
    <PasswordInput visibilityToggleButtonProps={TOGGLE} aria-invalid={props.error ? true : undefined} {...props} />
  );
}
