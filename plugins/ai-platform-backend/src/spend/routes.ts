import express from 'express';
import { RouteContext } from '../shared/http/routeContext';
import {
  entityRefFromQuery,
  rangeFromQuery,
  requiredQuery,
  spendQueryFromRequest,
} from '../shared/http/requestParams';
import { SpendService } from './SpendService';

/** Usage ingestion (`POST /usage`, `POST /usage/litellm`) and the spend reads. */
export function registerSpendRoutes(
  router: express.Router,
  { readers, ingestion }: RouteContext,
  spend: SpendService,
) {
  router.post(
    '/usage',
    ...ingestion('usage', ['json', 'ndjson']),
    async (req, res) => {
      res.json(await spend.ingestUsage(req.body));
    },
  );

  router.post('/usage/litellm', ...ingestion('litellm'), async (req, res) => {
    res.json(await spend.ingestLiteLLM(req.body));
  });

  router.get('/spend', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getSpend(query, await readers(req)));
  });

  router.get('/spend/daily', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getDailySpend(query, await readers(req)));
  });

  router.get('/spend/budget', async (req, res) => {
    const entityRef = requiredQuery(
      'entityRef',
      entityRefFromQuery('entityRef', req.query.entityRef),
      'a Group or AIPipeline ref',
    );
    res.json(await spend.getBudget(entityRef, await readers(req)));
  });

  router.get('/spend/unpriced', async (req, res) => {
    const range = rangeFromQuery(req.query);
    res.json(await spend.getUnpriced(range, await readers(req)));
  });
}
