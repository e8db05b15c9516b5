import { z } from 'zod';

const paramString = z.string().max(2_000);
const mediaParam = z.object({
  type: z.enum(['image', 'video', 'document']),
  link: z.url().optional(),
  media_id: z.string().min(1).optional(),
  filename: z.string().optional(),
});
const namedParams = z.record(z.string(), paramString);

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

/** The body of POST /api/v1/campaigns, shared by the HTTP API and the CLI. */
export const campaignInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** The sender whose number sends it (GET /api/v1/senders). */
  sender: z.string().min(1).max(64).default('default'),
  template: z.object({ name: z.string().min(1), language: z.string().min(2).default('en_US') }),
  params: z
    .object({
      header: z.union([paramString, mediaParam, namedParams]).optional(),
      body: z.union([z.array(paramString), namedParams]).optional(),
      buttons: z.union([z.array(paramString.nullable()), namedParams]).optional(),
    })
    .default({}),
  audience: z
    .object({
      tags: z.array(z.string().min(1)).default([]),
      exclude_tags: z.array(z.string().min(1)).default([]),
      /** Custom attributes that must match, e.g. {"city": ["Berlin", "Hamburg"]}. */
      attributes: z.record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)])).default({}),
    })
    .default({ tags: [], exclude_tags: [], attributes: {} }),
  scheduled_at: z.iso.datetime({ offset: true }).optional(),
  send_window: z
    .object({
      start: clockTime,
      end: clockTime,
    })
    .optional(),
  frequency_cap: z
    .object({ max_messages: z.number().int().positive(), per_days: z.number().int().positive().max(90) })
    .optional(),
});

/** A parsed campaign request. */
export type CampaignInput = z.infer<typeof campaignInputSchema>;

/** A media header parameter as the API takes it. */
export type MediaParam = z.infer<typeof mediaParam>;
