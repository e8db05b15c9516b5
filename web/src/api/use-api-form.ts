import { useForm } from '@mantine/form';
import { useState } from 'react';
import { placeApiError } from './form-errors.ts';

/**
 * A Mantine form whose submit calls the API through `action`: a refusal that names one of the
 * form's fields is shown under that field, any other above the form (`formError`, for
 * FormError), and each try starts with the last one's message gone.
 */
export function useApiForm<Values extends Record<string, unknown>>(
  initialValues: Values,
  action: (values: Values) => Promise<void>,
  fieldNames?: Record<string, string>,
) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({ initialValues });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await action(values);
    } catch (error) {
      setFormError(placeApiError(form, error, fieldNames));
    }
  });
  return { form, formError, submit };
}
