import type { CampaignParamsSpec } from '../domain/params.ts';
import type { CampaignInput, MediaParam } from './campaign-input.ts';

// Apart from campaign-input.ts and its zod schemas, so the materialise worker renders without
// loading zod.

/** The params spec the domain compiles, from the API's snake_case shape. */
export function toParamsSpec(params: CampaignInput['params']): CampaignParamsSpec {
  const { header } = params;
  const isMedia = typeof header === 'object' && 'type' in header && typeof header.type === 'string';
  const spec: CampaignParamsSpec = { body: params.body, buttons: params.buttons };
  if (header === undefined) return spec;
  if (!isMedia) return { ...spec, header: header as string | Record<string, string> };
  const media = header as MediaParam;
  return { ...spec, header: { type: media.type, link: media.link, mediaId: media.media_id, filename: media.filename } };
}
