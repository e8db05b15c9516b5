// GET, POST and DELETE /{v}/{waba-id}/subscribed_apps: which apps get the WABA's webhooks
// (reference/business-messaging-api_v23.0.yaml, "Webhook Subscriptions"). The simulator stands
// for one app, subscribed from the start; Meta posts webhooks only to subscribed apps, so while it
// is unsubscribed the simulator's webhooks are discarded. An `override_callback_uri` is not
// modelled: webhooks go where /_sim/webhook points.
import { answerOk, type GraphRequest } from './graph-context.ts';

/** The app the simulator stands for, in Meta's `whatsapp_business_api_data` shape. */
export const SIMULATOR_APP = {
  id: '300000000000001',
  name: 'Chorus Simulator',
  link: 'https://www.facebook.com/games/?app_id=300000000000001',
};

/** Lists the subscribed app (none after a DELETE), subscribes it (POST) or unsubscribes it (DELETE). */
export function handleSubscribedApps(g: GraphRequest, method: string): void {
  if (method === 'POST') g.state.isAppSubscribed = true;
  if (method === 'DELETE') g.state.isAppSubscribed = false;
  if (method !== 'GET') answerOk(g, { success: true });
  else answerOk(g, { data: g.state.isAppSubscribed ? [{ whatsapp_business_api_data: SIMULATOR_APP }] : [] });
}
