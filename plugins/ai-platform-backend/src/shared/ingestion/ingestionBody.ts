import {
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, InputError } from '@backstage/errors';
import express from 'express';
import {
  INGESTION_ROUTES,
  IngestionRoute,
  limitBytes,
} from './ingestionConfig';

/** 415: a body of a media type the route does not read. */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  statusCode = 415 as const;
}

/** 413: a body larger than the route's limit (after inflating). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413 as const;
}

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

/** body-parser's errors as the suite's: each says what to change. */
function bodyError(
  error: any,
  route: IngestionRoute,
  limit: string | number,
): Error {
  const where = INGESTION_ROUTES[route];
  switch (error?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError(
        `Request body of ${where} is larger than its limit of ${limit} (after decompression); send smaller batches or raise aiPlatform.ingestion.routes.${route}.maxBodySize`,
      );
    case 'entity.parse.failed':
      return new InputError(
        `Request body of ${where} is not valid JSON: ${error.message}`,
      );
    case 'encoding.unsupported':
      return new UnsupportedMediaTypeError(
        `Content-Encoding of ${where} must be gzip, deflate or identity`,
      );
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError(
        `Content-Type charset of ${where} must be utf-8`,
      );
    case 'request.aborted':
    case 'request.size.invalid':
      return new InputError(
        `Request body of ${where} ended before its Content-Length`,
      );
    default:
      return error;
  }
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
