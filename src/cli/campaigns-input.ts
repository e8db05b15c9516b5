import fs from 'node:fs';
import type { Command } from 'commander';
import { type CampaignInput, campaignInputSchema } from '../app/campaign-input.ts';
import { AppError } from '../domain/errors.ts';

/** The flags `campaigns create` and `campaigns dry-run` share. */
export interface CampaignFlags {
  file?: string;
  name?: string;
  sender?: string;
  template?: string;
  language?: string;
  param: string[];
  tag: string[];
  excludeTag: string[];
  schedule?: string;
  window?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Adds the campaign flags to a command. */
export function addCampaignFlags(command: Command): Command {
  return command
    .option('--file <campaign.json>', 'the POST /api/v1/campaigns body; flags given beside it override its fields')
    .option('--name <name>', 'campaign name')
    .option('--sender <id>', 'the sender whose number sends it (default: default)')
    .option('--template <name>', 'an APPROVED template, synced')
    .option('--language <code>', 'template language (default en_US)')
    .option('--param <value>', 'a body parameter, in order, e.g. "{{first_name|there}}" (repeatable)', collect, [])
    .option('--tag <tag>', 'audience: contacts with any of these tags (repeatable; none = everyone)', collect, [])
    .option('--exclude-tag <tag>', 'audience: leave out contacts with this tag (repeatable)', collect, [])
    .option('--schedule <iso>', 'start at this ISO-8601 time, e.g. 2026-05-01T09:00:00+02:00')
    .option('--window <HH:MM-HH:MM>', "send only inside this daily window, in the recipient's time zone")
    .option('--json', 'machine output');
}

/** Builds and validates a campaign request from `--file` and the flags, as the API would. */
export function campaignInputFromFlags(flags: CampaignFlags, defaults: { name?: string } = {}): CampaignInput {
  const body: Record<string, unknown> = flags.file ? readJsonFile(flags.file) : {};
  if (flags.name !== undefined) body['name'] = flags.name;
  body['name'] ??= defaults.name;
  if (flags.sender !== undefined) body['sender'] = flags.sender;
  if (flags.template !== undefined || flags.language !== undefined) {
    const current = (body['template'] ?? {}) as Record<string, unknown>;
    body['template'] = {
      ...current,
      ...(flags.template !== undefined ? { name: flags.template } : {}),
      ...(flags.language !== undefined ? { language: flags.language } : {}),
    };
  }
  if (flags.param.length > 0) body['params'] = { ...(body['params'] ?? {}), body: flags.param };
  if (flags.tag.length > 0 || flags.excludeTag.length > 0) {
    const current = (body['audience'] ?? {}) as Record<string, unknown>;
    body['audience'] = {
      ...current,
      ...(flags.tag.length > 0 ? { tags: flags.tag } : {}),
      ...(flags.excludeTag.length > 0 ? { exclude_tags: flags.excludeTag } : {}),
    };
  }
  if (flags.schedule !== undefined) body['scheduled_at'] = flags.schedule;
  if (flags.window !== undefined) body['send_window'] = parseWindow(flags.window);
  const parsed = campaignInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'campaign';
    throw new AppError('validation_failed', `${field}: ${issue?.message ?? 'invalid'}`, { field });
  }
  return parsed.data;
}

function parseWindow(text: string): { start: string; end: string } {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text.trim());
  if (!match) throw new AppError('validation_failed', '--window must look like 09:00-20:00', { field: 'window' });
  return { start: match[1] as string, end: match[2] as string };
}

function readJsonFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('validation_failed', `cannot read ${file}`, { field: 'file', cause: error });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new AppError('validation_failed', `${file} is not a JSON object`, { field: 'file', cause: error });
  }
}
