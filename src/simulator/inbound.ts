// Things users do: write, tap a quick reply or an interactive reply, stop or resume marketing
// (reference/cloud-api.md §4 inbound messages, §6 user_preferences).
import type { WireInboundContext, WireInboundMessage } from '../cloud-api/payloads.ts';
import { GraphError } from './graph-errors.ts';
import type { SimState } from './sim-state.ts';
import type { SimInbound } from './types.ts';

/** Delivers an inbound message by webhook and opens the user's 24 h window; answers its wamid. */
export function simulateInbound(state: SimState, inbound: SimInbound): string {
  const waId = inbound.from.replace(/\D/g, '');
  if (!/^\d{7,15}$/.test(waId))
    throw new GraphError(100, `from is not a phone number: ${JSON.stringify(inbound.from)}`);
  const nowMs = state.clock();
  const base = { from: waId, id: state.newWamid(waId), timestamp: String(Math.floor(nowMs / 1000)) };
  const message = buildMessage(state, inbound, waId, base);
  state.lastInboundMs.set(waId, nowMs);
  const contact = { profile: { name: inbound.name ?? `Sim User ${waId.slice(-4)}` }, wa_id: waId };
  state.webhooks.schedule(nowMs, { kind: 'inbound', message, contact });
  return base.id;
}

function buildMessage(
  state: SimState,
  inbound: SimInbound,
  waId: string,
  base: { from: string; id: string; timestamp: string },
): WireInboundMessage {
  if (inbound.type === 'text') {
    const context = inbound.contextWamid ? contextOf(state, inbound.contextWamid) : undefined;
    return { ...base, ...(context ? { context } : {}), type: 'text', text: { body: inbound.text } };
  }
  // Replies to buttons always name the message that carried the button (context.id, §4).
  const context = contextOf(state, inbound.contextWamid ?? state.log.lastWamidTo(waId) ?? state.newWamid(waId));
  if (inbound.type === 'button') {
    return {
      ...base,
      context,
      type: 'button',
      button: { payload: inbound.payload ?? inbound.text, text: inbound.text },
    };
  }
  const reply = { id: inbound.id, title: inbound.title };
  const interactive =
    inbound.type === 'button_reply'
      ? { type: 'button_reply' as const, button_reply: reply }
      : {
          type: 'list_reply' as const,
          list_reply: inbound.description === undefined ? reply : { ...reply, description: inbound.description },
        };
  return { ...base, context, type: 'interactive', interactive };
}

function contextOf(state: SimState, wamid: string): Required<Pick<WireInboundContext, 'from' | 'id'>> {
  return { from: state.options.displayPhoneNumber, id: wamid };
}

/** The user stops or resumes marketing in-app: user_preferences webhook; after stop, marketing fails 131050 (§6). */
export function setUserPreference(state: SimState, waIdInput: string, value: 'stop' | 'resume'): void {
  const waId = waIdInput.replace(/\D/g, '');
  if (value === 'stop') state.stoppedMarketing.add(waId);
  else state.stoppedMarketing.delete(waId);
  const nowMs = state.clock();
  const detail =
    value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages';
  state.webhooks.schedule(nowMs, {
    kind: 'preference',
    value: {
      messaging_product: 'whatsapp',
      contacts: [{ wa_id: waId, profile: { name: `Sim User ${waId.slice(-4)}` } }],
      user_preferences: [
        { wa_id: waId, detail, category: 'marketing_messages', value, timestamp: Math.floor(nowMs / 1000) },
      ],
    },
  });
}
