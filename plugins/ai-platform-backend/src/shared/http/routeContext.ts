import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { BodyType, ingestionRoute } from '../ingestion/ingestionBody';
import {
  IngestionRoute,
  IngestionSettings,
} from '../ingestion/ingestionConfig';

/** What every feature's routes use to read callers and bodies. */
export interface RouteContext {
  /** The caller of a read or action route: a user or a service. */
  readers(
    req: express.Request<any, any, any, any>,
  ): Promise<
    BackstageCredentials<BackstageUserPrincipal | BackstageServicePrincipal>
  >;
  /**
   * The guards of an ingestion route: service credentials checked before the
   * body is read, then the body parsed within the route's limit.
   */
  ingestion(
    route: IngestionRoute,
    accepts?: BodyType[],
  ): express.RequestHandler[];
}

export function createRouteContext(options: {
  httpAuth: HttpAuthService;
  ingestion: Pick<IngestionSettings, 'maxBodySize'>;
}): RouteContext {
  const { httpAuth, ingestion } = options;
  return {
    readers: req => httpAuth.credentials(req, { allow: ['user', 'service'] }),
    ingestion: (route, accepts = ['json']) =>
      ingestionRoute({
        httpAuth,
        route,
        limit: ingestion.maxBodySize[route],
        accepts,
      }),
  };
}
