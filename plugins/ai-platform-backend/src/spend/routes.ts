import express from 'express';
import { ApiRouter } from '../shared/http/apiRouter';
import { ingestionNdjson } from '../shared/ingestion/ingestionBody';
import { RouteContext } from '../shared/http/routeContext';
import {
  entityRefFromQuery,
  rangeFromQuery,
  spendQueryFromRequest,
} from '../shared/http/requestParams';
import { SpendService } from './SpendService';

/** The spend reads. */
export function registerSpendRoutes(
  router: ApiRouter,
  { readers }: RouteContext,
  spend: SpendService,
) {
  router.get('/spend', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getSpend(query, await readers(req)));
  });

  router.get('/spend/daily', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getDailySpend(query, await readers(req)));
  });

  router.get('/spend/budget', async (req, res) => {
    // `entityRef` is required by the spec.
    const entityRef = entityRefFromQuery('entityRef', req.query.entityRef)!;
    res.json(await spend.getBudget(entityRef, await readers(req)));
  });

  router.get('/spend/unpriced', async (req, res) => {
    const range = rangeFromQuery(req.query);
    res.json(await spend.getUnpriced(range, await readers(req)));
  });
}

/**
 * Usage ingestion (`POST /usage`, `POST /usage/litellm`), in front of the
 * typed router: service credentials first, then the body.
 */
export function registerUsageIngestionRoutes(
  router: express.Router,
  { ingestion }: RouteContext,
  spend: SpendService,
) {
  router.post(
    '/usage',
    ...ingestion('usage', ['json', 'ndjson']),
    async (req, res) => {
      const lines = ingestionNdjson(res);
      if (!lines) {
        res.json(await spend.ingestUsage(req.body));
        return;
      }
      try {
        res.json(await spend.ingestUsageNdjson(lines));
      } catch (error) {
        // Refused before the end of the body: leave the rest unread.
        if (!req.complete) res.setHeader('Connection', 'close');
        throw error;
      }
    },
  );

  router.post('/usage/litellm', ...ingestion('litellm'), async (req, res) => {
    res.json(await spend.ingestLiteLLM(req.body));
  });
}
