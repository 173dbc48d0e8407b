import {
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import {
  INGESTION_ROUTES,
  IngestionRoute,
  limitBytes,
} from './ingestionConfig';
import { bodyParserError, UnsupportedMediaTypeError } from '../http/bodyErrors';

const MEDIA_TYPES = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
} as const;

/** The body formats an ingestion route may read. */
export type BodyType = keyof typeof MEDIA_TYPES;

/** The service credentials an ingestion route checked, for its handler. */
export function ingestionCredentials(
  res: express.Response,
): BackstageCredentials<BackstageServicePrincipal> {
  return res.locals.aiPlatformCredentials;
}

function hasBody(req: express.Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0
  );
}

/** body-parser's errors of an ingestion route, naming its limit's config key. */
function bodyError(error: any, route: IngestionRoute, limit: string | number) {
  return bodyParserError(error, {
    where: INGESTION_ROUTES[route],
    limit,
    advice: `send smaller batches or raise aiPlatform.ingestion.routes.${route}.maxBodySize`,
  });
}

/**
 * The middleware in front of an ingestion route: service credentials are
 * checked before a byte of the body is read, so a user or anonymous caller
 * is refused without the body being read, inflated or parsed (and the
 * connection is closed rather than drained); then the body is parsed with
 * the route's limit, which bounds compressed bodies by their inflated size.
 */
export function ingestionRoute(options: {
  httpAuth: HttpAuthService;
  route: IngestionRoute;
  limit: string | number;
  accepts: BodyType[];
}): express.RequestHandler[] {
  const { httpAuth, route, limit, accepts } = options;
  const maxBytes = limitBytes(limit);
  const parsers = new Map<string, express.RequestHandler>(
    accepts.map(type => [
      MEDIA_TYPES[type],
      type === 'json'
        ? express.json({ limit, type: MEDIA_TYPES.json })
        : express.text({ limit, type: MEDIA_TYPES.ndjson }),
    ]),
  );

  const authenticate: express.RequestHandler = async (req, res, next) => {
    try {
      res.locals.aiPlatformCredentials = await httpAuth.credentials(req, {
        allow: ['service'],
      });
      next();
    } catch (error) {
      // The body stays unread: close the connection instead of draining it.
      res.setHeader('Connection', 'close');
      next(error);
    }
  };

  const parse: express.RequestHandler = (req, res, next) => {
    if (!hasBody(req)) {
      next();
      return;
    }
    const mediaType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const parser = parsers.get(mediaType);
    if (!parser) {
      res.setHeader('Connection', 'close');
      next(
        new UnsupportedMediaTypeError(
          `Content-Type of ${INGESTION_ROUTES[route]} must be ${accepts
            .map(t => MEDIA_TYPES[t])
            .join(' or ')}, got ${mediaType || '(none)'}`,
        ),
      );
      return;
    }
    // A declared length over the limit is refused before reading (the
    // parser would drain the whole body first). A compressed body is
    // bounded by the parser as it inflates.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!req.headers['content-encoding'] && declared > maxBytes) {
      res.setHeader('Connection', 'close');
      next(bodyError({ type: 'entity.too.large' }, route, limit));
      return;
    }
    parser(req, res, error => {
      if (error) res.setHeader('Connection', 'close');
      next(error ? bodyError(error, route, limit) : undefined);
    });
  };

  return [authenticate, parse];
}
