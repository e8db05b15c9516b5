// What each Graph handler receives about one request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, type GraphError, httpStatusFor } from './graph-errors.ts';
import { sendJson } from './http-io.ts';
import type { SimState } from './sim-state.ts';

/** One Graph API request, parsed just enough to route it. */
export interface GraphRequest {
  state: SimState;
  req: IncomingMessage;
  res: ServerResponse;
  /** e.g. v23.0 */
  version: string;
  /** The node id after the version: phone number, WABA or template id. */
  nodeId: string;
  /** The edge after the node id, e.g. `messages`, or '' for the node itself. */
  edge: string;
  query: URLSearchParams;
  /** Base URL of this server, for paging links. */
  baseUrl: string;
  traceId: string;
}

/** Headers Meta puts on every answer (SPEC components.headers). */
export function graphHeaders(g: GraphRequest): Record<string, string> {
  return { 'facebook-api-version': g.version, 'x-fb-trace-id': g.traceId, 'x-fb-request-id': g.traceId };
}

/** Answers a Graph error with its configured HTTP status, and counts it. */
export function answerError(g: GraphRequest, error: GraphError): void {
  g.state.countRejection(error.code);
  sendJson(
    g.res,
    httpStatusFor(error.code, g.state.behaviour.httpStatusByCode),
    errorBody(error, g.traceId),
    graphHeaders(g),
  );
}

/** Answers 200 with a JSON body. */
export function answerOk(g: GraphRequest, body: unknown): void {
  sendJson(g.res, 200, body, graphHeaders(g));
}
