// The send endpoint with the run's faults around it: a timed outage (outage.ts), 5xx before
// processing, slow answers, and a connection dropped after the message was accepted (it still
// counts and its webhooks still flow).
import { answerError, answerOk, type GraphRequest } from './graph-context.ts';
import { GraphError } from './graph-errors.ts';
import { parseJson } from './http-io.ts';
import type { Outage } from './outage.ts';
import { acceptSend } from './send-message.ts';

/** POST /{v}/{phone-number-id}/messages, given the body text. */
export function handleMessages(g: GraphRequest, bodyText: string): void {
  const { state } = g;
  state.arrivals.record(state.clock());
  const b = state.behaviour;
  const outage = state.currentOutage();
  if (outage !== undefined) {
    failDuringOutage(g, bodyText, outage);
    return;
  }
  if (state.rng.chance(b.serverErrorRate)) {
    state.faults.serverErrors += 1;
    // Both transient server answers Meta documents: 131000 (500) and 2 (503), §2.
    answerError(g, new GraphError(state.rng.chance(0.5) ? 131000 : 2));
    return;
  }
  const answer = acceptOrAnswerError(g, bodyText);
  if (answer === undefined) return;
  if (answer.isAccepted && state.rng.chance(b.dropAfterAcceptRate)) {
    state.faults.dropped += 1;
    g.req.socket.destroy();
    return;
  }
  if (state.rng.chance(b.slowRate)) {
    state.faults.slow += 1;
    state.later(b.slowDelayMs, () => answerOk(g, answer.body));
    return;
  }
  answerOk(g, answer.body);
}

// Validates and accepts the send; answers the Graph error itself and returns undefined when refused.
function acceptOrAnswerError(g: GraphRequest, bodyText: string): ReturnType<typeof acceptSend> | undefined {
  try {
    const body = parseJson(bodyText);
    if (body === undefined) throw new GraphError(100, 'The request body is not valid JSON.');
    return acceptSend(g.state, body, g.version);
  } catch (error) {
    if (error instanceof GraphError) answerError(g, error);
    else throw error;
    return undefined;
  }
}

// 5xx answers at once and takes nothing; a hang holds the request until the outage ends, then
// closes it unanswered; a drop closes it at once. A lost request may still have been taken.
function failDuringOutage(g: GraphRequest, bodyText: string, outage: Outage): void {
  const { state } = g;
  if (outage.mode === '5xx') {
    state.faults.serverErrors += 1;
    answerError(g, new GraphError(2));
    return;
  }
  if (state.rng.chance(outage.acceptRate)) {
    try {
      acceptSend(state, parseJson(bodyText), g.version);
    } catch {
      // A refused send is as lost as an unanswered one: the client hears nothing either way.
    }
  }
  if (outage.mode === 'drop') {
    state.faults.dropped += 1;
    g.req.socket.destroy();
    return;
  }
  state.faults.hung += 1;
  state.later(Math.max(0, outage.untilMs - state.clock()), () => g.req.socket.destroy());
}
