// The send endpoint with the run's faults around it: 5xx before processing, slow answers, and a
// connection dropped after the message was accepted (it still counts and its webhooks still flow).
import { answerError, answerOk, type GraphRequest } from './graph-context.ts';
import { GraphError } from './graph-errors.ts';
import { parseJson } from './http-io.ts';
import { acceptSend } from './send-message.ts';

/** POST /{v}/{phone-number-id}/messages, given the body text. */
export function handleMessages(g: GraphRequest, bodyText: string): void {
  const { state } = g;
  state.arrivals.record(state.clock());
  const b = state.behaviour;
  if (state.rng.chance(b.serverErrorRate)) {
    state.faults.serverErrors += 1;
    // Both transient server answers Meta documents: 131000 (500) and 2 (503), §2.
    answerError(g, new GraphError(state.rng.chance(0.5) ? 131000 : 2));
    return;
  }
  let answer: ReturnType<typeof acceptSend>;
  try {
    const body = parseJson(bodyText);
    if (body === undefined) throw new GraphError(100, 'The request body is not valid JSON.');
    answer = acceptSend(state, body, g.version);
  } catch (error) {
    if (error instanceof GraphError) answerError(g, error);
    else throw error;
    return;
  }
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
