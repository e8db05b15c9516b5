import fs from 'node:fs';
import { compileCampaignParams } from '../domain/campaign-params.ts';
import {
  type ContentFinding,
  checkCampaignTexts,
  DEFAULT_PROHIBITED_WORDS,
  hasBlockingFinding,
  type ProhibitedWords,
} from '../domain/content-guidelines.ts';
import { AppError } from '../domain/errors.ts';
import type { RenderedTemplate } from '../domain/outbound-message.ts';
import { hasOptOut, type TemplateDefinition } from '../domain/template.ts';
import { previewMessage } from '../domain/template-preview.ts';
import type { Database } from '../store/db.ts';
import { type CampaignAudience, pageCampaignAudience } from './campaign-audience.ts';
import type { CampaignInput } from './campaign-input.ts';
import { toParamsSpec } from './campaign-params-spec.ts';
import { decideRecipient, type RecipientRules } from './recipient-decision.ts';

/** The words CHORUS_CONTENT_WORDS names (a JSON object of category → words), or the built-in list. */
export function loadProhibitedWords(path: string | undefined): ProhibitedWords {
  if (path === undefined) return DEFAULT_PROHIBITED_WORDS;
  const parsed: unknown = JSON.parse(fs.readFileSync(path, 'utf8'));
  const isList = (v: unknown) => Array.isArray(v) && v.every((w) => typeof w === 'string' && w.trim() !== '');
  if (typeof parsed !== 'object' || parsed === null || !Object.values(parsed).every(isList))
    throw new Error(`${path} must be a JSON object of category names to lists of words`);
  return parsed as ProhibitedWords;
}

/** The parameters given as fixed text (no `{{…}}`): the same for every recipient, so checked once. */
export function literalParams(params: CampaignInput['params']): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [];
  const add = (where: string, value: unknown) => {
    if (typeof value === 'string' && !value.includes('{{')) out.push({ where, value });
  };
  const addAll = (part: string, values: unknown) => {
    if (Array.isArray(values)) {
      for (const [i, v] of values.entries()) add(`params.${part}[${i}]`, v);
    } else if (values !== null && typeof values === 'object') {
      for (const [name, v] of Object.entries(values)) add(`params.${part}.${name}`, v);
    }
  };
  add('params.header', params.header);
  addAll('body', params.body);
  addAll('buttons', params.buttons);
  return out;
}

/** What Meta rejects or punishes in a campaign, judged on its fixed parameters and one recipient's message. */
export function campaignContentFindings(
  template: TemplateDefinition,
  params: CampaignInput['params'],
  sample: RenderedTemplate | null,
  words: ProhibitedWords,
): ContentFinding[] {
  return checkCampaignTexts(
    {
      literals: literalParams(params),
      renderedBody: sample === null ? null : previewMessage(template, sample).body,
      isMarketing: template.category === 'MARKETING',
      hasOptOut: hasOptOut(template),
    },
    words,
  );
}

/** Refuses a launch whose content Meta would reject, naming every error and why (warnings pass). */
export function requireLaunchableContent(findings: readonly ContentFinding[]): void {
  if (!hasBlockingFinding(findings)) return;
  const errors = findings.filter((f) => f.severity === 'error');
  const first = errors[0] as ContentFinding;
  throw new AppError('content_rejected', errors.map((f) => `${f.where}: ${f.message} (${f.why})`).join('; '), {
    field: first.where.startsWith('params') ? first.where : 'template',
  });
}

/** What a campaign's content check needs to know about it. */
export interface LaunchContent {
  template: TemplateDefinition;
  params: CampaignInput['params'];
  audience: CampaignAudience;
}

// A sample recipient is looked for in the first contacts only: the check must stay cheap at a launch.
const SAMPLE_PAGE = 200;

/**
 * Refuses to launch content Meta would reject (a fixed parameter with a newline, a message over
 * the limit), judged on the fixed parameters and the first eligible recipient's message.
 */
export async function requireLaunchableCampaign(database: Database, launch: LaunchContent, now: number): Promise<void> {
  const rules: RecipientRules = {
    template: launch.template,
    render: compileCampaignParams(toParamsSpec(launch.params), launch.template),
    frequencyCap: null,
  };
  const page = await pageCampaignAudience(database, launch.audience, 0, SAMPLE_PAGE);
  let sample: RenderedTemplate | null = null;
  for (const contact of page.contacts) {
    const decision = decideRecipient(contact, rules, now);
    if (decision.isEligible) {
      sample = decision.rendered;
      break;
    }
  }
  requireLaunchableContent(campaignContentFindings(launch.template, launch.params, sample, DEFAULT_PROHIBITED_WORDS));
}
