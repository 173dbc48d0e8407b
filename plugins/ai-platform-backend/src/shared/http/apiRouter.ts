import { ApiRouter as TypedRouter } from '@backstage/backend-openapi-utils';
import { RequestHandler } from 'express';
import { createOpenApiRouter, spec } from '../../schema/openapi';

/**
 * The router of the routes the OpenAPI spec (`src/schema/openapi.yaml`)
 * validates and types: their path and query parameters and JSON bodies are
 * checked before the handler runs, and a request that does not match is a
 * 400 `InputError` naming the parameter (`request/query/limit must be
 * integer`). Handlers see the values as the spec types them: query
 * integers and booleans are numbers and booleans, defaults are filled in.
 */
export type ApiRouter = TypedRouter<typeof spec>;

/**
 * Reads no body: the typed router's default would parse every JSON body up
 * front, ingestion's too. Action bodies are parsed before this router (see
 * `actionBodies`), ingestion bodies by their routes after the credentials.
 */
const readsNoBody: RequestHandler = (_req, _res, next) => next();

export function createApiRouter(): Promise<ApiRouter> {
  return createOpenApiRouter({ middleware: [readsNoBody] });
}
