// Wire types of the template management API, /{WABA-ID}/message_templates (reference/cloud-api.md §5).
import { z } from 'zod';
import type { TemplateCategory } from '../domain/template.ts';

/** A template button definition (§5 BUTTONS). */
export interface WireTemplateButtonDef {
  type: 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE' | (string & {});
  text?: string;
  url?: string;
  phone_number?: string;
  example?: string[] | string;
}

/** A template component definition as created and listed (§5). */
export interface WireTemplateComponentDef {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS' | (string & {});
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'GIF' | 'LOCATION' | (string & {});
  text?: string;
  buttons?: WireTemplateButtonDef[];
  example?: {
    header_text?: string[];
    header_text_named_params?: { param_name: string; example: string }[];
    header_handle?: string[];
    body_text?: string[][];
    body_text_named_params?: { param_name: string; example: string }[];
  };
}

/** POST /{WABA-ID}/message_templates body (§5). */
export interface WireCreateTemplateRequest {
  name: string;
  category: TemplateCategory;
  language: string;
  parameter_format?: 'NAMED' | 'POSITIONAL';
  components: WireTemplateComponentDef[];
}

const componentDefSchema = z.looseObject({ type: z.string() });

/** Parses one template of a list or a single-template read (§5). */
export const templateSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  language: z.string().optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  previous_category: z.string().optional(),
  parameter_format: z.string().optional(),
  components: z.array(componentDefSchema).optional(),
  quality_score: z.looseObject({ score: z.string().optional(), date: z.number().optional() }).optional(),
});

/** One template as Meta lists it. */
export type WireTemplateInfo = z.infer<typeof templateSchema>;

/** Parses a page of GET /{WABA-ID}/message_templates (cursor paging, §5). */
export const templateListPageSchema = z.looseObject({
  data: z.array(templateSchema),
  paging: z
    .looseObject({
      cursors: z.looseObject({ before: z.string().optional(), after: z.string().optional() }).optional(),
      next: z.string().optional(),
      previous: z.string().optional(),
    })
    .optional(),
});

/** A page of the template list. */
export type WireTemplateListPage = z.infer<typeof templateListPageSchema>;

/** Parses the answer to a template creation: `{id, status:"PENDING", category}` (§5). */
export const createTemplateResponseSchema = z.looseObject({
  id: z.string(),
  status: z.string().optional(),
  category: z.string().optional(),
});

/** The answer to a template creation. */
export type WireCreateTemplateResponse = z.infer<typeof createTemplateResponseSchema>;
