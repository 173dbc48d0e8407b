import express from 'express';
import { bodyParserError } from './bodyErrors';

/** The largest body of an action (`{ reason }` of halt and resume). */
export const MAX_ACTION_BODY = '16kb';

/**
 * Parses the JSON body of an action before the typed router validates it
 * against the spec; mounted after the ingestion routes, which read their
 * own bodies. Its errors skip the typed router, so a body over the limit is
 * a 413 and malformed JSON a 400 naming the route.
 */
export function actionBodies(): express.RequestHandler {
  const parse = express.json({ limit: MAX_ACTION_BODY });
  return (req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    parse(req, res, error =>
      next(
        error
          ? bodyParserError(error, {
              where: `POST ${req.path}`,
              limit: MAX_ACTION_BODY,
              advice: 'a reason of up to 2000 characters fits',
            })
          : undefined,
      ),
    );
  };
}
