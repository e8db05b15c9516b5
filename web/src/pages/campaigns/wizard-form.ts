// The wizard's values, and the campaign request they make.
import type { UseFormReturnType } from '@mantine/form';
import type { CampaignInput, TemplateSummary } from '../../api/campaigns.ts';
import { paramsFrom } from './template-params.ts';

/** Everything a person fills in across the wizard's steps. */
export interface WizardValues {
  name: string;
  sender: string;
  /** Comma-separated, as typed. */
  tags: string;
  /** Comma-separated, as typed. */
  excludeTags: string;
  template: string;
  params: Record<string, string>;
  /** `datetime-local` text in the browser's time zone; empty: start by hand. */
  scheduledAt: string;
  windowStart: string;
  windowEnd: string;
}

/** The wizard's form. */
export type WizardForm = UseFormReturnType<WizardValues>;

/** The initial values: the default sender, everything else empty. */
export const EMPTY_WIZARD: WizardValues = {
  name: '',
  sender: 'default',
  tags: '',
  excludeTags: '',
  template: '',
  params: {},
  scheduledAt: '',
  windowStart: '',
  windowEnd: '',
};

/** The campaign request the values make, with the picked template. */
export function toCampaignInput(values: WizardValues, template: TemplateSummary | undefined): CampaignInput {
  const [name = '', language = 'en_US'] = values.template.split('|');
  return {
    name: values.name.trim(),
    sender: values.sender,
    template: { name, language },
    params: paramsFrom(template, values.params),
    audience: { tags: tagsOf(values.tags), exclude_tags: tagsOf(values.excludeTags) },
    ...(values.scheduledAt ? { scheduled_at: new Date(values.scheduledAt).toISOString() } : {}),
    ...(values.windowStart && values.windowEnd
      ? { send_window: { start: values.windowStart, end: values.windowEnd } }
      : {}),
  };
}

/** The tags of a comma-separated list, trimmed, without empties or repeats. */
export function tagsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}
