// Routes Graph API paths for any vNN.N version: auth first, then the node and edge (reference §8).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerError, type GraphRequest } from './graph-context.ts';
import { GraphError } from './graph-errors.ts';
import { readBody } from './http-io.ts';
import { handleMessages } from './messages-route.ts';
import { readPhoneNumber } from './phone-route.ts';
import type { SimState } from './sim-state.ts';
import { handleSubscribedApps } from './subscribed-apps-route.ts';
import { createTemplate, listTemplates, readTemplate } from './templates-route.ts';

const VERSION = /^v\d+\.\d+$/;
// Never mutated: handlers only read the query.
const EMPTY_QUERY = new URLSearchParams();

/** Handles one request under /vNN.N/…. */
export async function handleGraph(
  state: SimState,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
): Promise<void> {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const [, version = '', nodeId = '', edge = '', ...rest] = (queryAt < 0 ? url : url.slice(0, queryAt)).split('/');
  const query = queryAt < 0 ? EMPTY_QUERY : new URLSearchParams(url.slice(queryAt + 1));
  const bodyText = req.method === 'POST' ? await readBody(req) : '';
  const g: GraphRequest = { state, req, res, version, nodeId, edge, query, baseUrl, traceId: state.newTraceId() };
  const authError = checkToken(state, req, query);
  if (authError) return answerError(g, authError);
  if (!VERSION.test(version) || nodeId === '' || rest.length > 0) {
    return answerError(g, new GraphError(100, `Unknown path components: ${url}`, { subcode: 2500 }));
  }
  route(g, req.method ?? 'GET', bodyText);
}

function route(g: GraphRequest, method: string, bodyText: string): void {
  const { phoneNumberId, businessAccountId } = g.state.options;
  const isSend = method === 'POST' && g.edge === 'messages' && g.nodeId === phoneNumberId;
  const isTemplates = g.edge === 'message_templates' && g.nodeId === businessAccountId;
  if (isSend) handleMessages(g, bodyText);
  else if (g.edge === 'subscribed_apps' && g.nodeId === businessAccountId) handleSubscribedApps(g, method);
  else if (isTemplates && method === 'GET') listTemplates(g);
  else if (isTemplates && method === 'POST') createTemplate(g, bodyText);
  else if (method === 'GET' && g.edge === '' && g.nodeId === phoneNumberId) readPhoneNumber(g);
  else if (!(method === 'GET' && g.edge === '' && readTemplate(g))) answerError(g, unknownObject(method, g.nodeId));
}

// Graph's answer for an id it does not know (code 100, subcode 33).
function unknownObject(method: string, nodeId: string): GraphError {
  return new GraphError(
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${nodeId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    { subcode: 33 },
  );
}

// 190 for a wrong token, 0 when there is none (§2: both 401).
function checkToken(state: SimState, req: IncomingMessage, query: URLSearchParams): GraphError | undefined {
  const header = req.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : (query.get('access_token') ?? undefined);
  if (token === undefined || token === '')
    return new GraphError(0, 'An access token is required to request this resource.');
  if (token !== state.options.accessToken)
    return new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
  return undefined;
}
