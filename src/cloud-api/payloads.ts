// The Graph API wire shapes in one import: send, webhook and template-management payloads.
// Types and answer-parsing schemas only, no logic: the simulator imports from here.
export * from './wire-send.ts';
export * from './wire-templates.ts';
export type * from './wire-webhook.ts';
export { WIRE_STATUS_KINDS, WIRE_TEMPLATE_EVENTS } from './wire-webhook.ts';
