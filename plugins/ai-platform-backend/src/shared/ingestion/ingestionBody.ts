import {
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import { BodyReadError, ndjsonLines, NdjsonLines } from './ndjsonLines';
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

/**
 * The NDJSON body of an ingestion route, to be read as it streams in (its
 * errors are the suite's: 413 at the limit, 400 for a body cut short or not
 * inflatable); undefined when the body was JSON or absent.
 */
export function ingestionNdjson(
  res: express.Response,
): NdjsonLines | undefined {
  return res.locals.aiPlatformNdjson;
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

/** A body reader's error as the suite's, naming the route and its limit. */
function readError(
  error: unknown,
  route: IngestionRoute,
  limit: string | number,
) {
  if (error instanceof BodyReadError && error.type === 'encoding.invalid') {
    return new InputError(
      `Request body of ${INGESTION_ROUTES[route]} does not inflate as its Content-Encoding says: ${error.message}`,
    );
  }
  return bodyError(error, route, limit);
}

/**
 * The lines of an NDJSON body, streamed; an error while reading closes the
 * connection (the rest of the body stays unread).
 */
function streamedLines(
  req: express.Request,
  res: express.Response,
  route: IngestionRoute,
  limit: string | number,
): NdjsonLines {
  const lines = ndjsonLines(req, limitBytes(limit));
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield* lines;
      } catch (error) {
        res.setHeader('Connection', 'close');
        throw readError(error, route, limit);
      }
    },
  };
}

/**
 * The middleware in front of an ingestion route: service credentials are
 * checked before a byte of the body is read, so a user or anonymous caller
 * is refused without the body being read, inflated or parsed (and the
 * connection is closed rather than drained); then the body is parsed with
 * the route's limit, which bounds compressed bodies by their inflated size.
 * JSON is parsed whole here; NDJSON is left to stream (see
 * {@link ingestionNdjson}), its lines read and bounded as they arrive.
 */
export function ingestionRoute(options: {
  httpAuth: HttpAuthService;
  route: IngestionRoute;
  limit: string | number;
  accepts: BodyType[];
}): express.RequestHandler[] {
  const { httpAuth, route, limit, accepts } = options;
  const maxBytes = limitBytes(limit);
  const stream: express.RequestHandler = (req, res, next) => {
    try {
      res.locals.aiPlatformNdjson = streamedLines(req, res, route, limit);
      next();
    } catch (error) {
      next(error);
    }
  };
  const parsers = new Map<string, express.RequestHandler>(
    accepts.map(type => [
      MEDIA_TYPES[type],
      type === 'json'
        ? express.json({ limit, type: MEDIA_TYPES.json })
        : stream,
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
    // bounded by the parser (or the NDJSON stream) as it inflates.
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!req.headers['content-encoding'] && declared > maxBytes) {
      res.setHeader('Connection', 'close');
      next(bodyError({ type: 'entity.too.large' }, route, limit));
      return;
    }
    parser(req, res, error => {
      if (error) res.setHeader('Connection', 'close');
      next(error ? readError(error, route, limit) : undefined);
    });
  };

  return [authenticate, parse];
}
