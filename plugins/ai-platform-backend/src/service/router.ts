import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { DashboardService } from './DashboardService';
import { GovernanceService } from './GovernanceService';
import { OwnershipService } from './OwnershipService';
import {
  entityRefFromQuery,
  limitFromQuery,
  ownerFromQuery,
  pipelineRefFromPath,
  rangeFromQuery,
  spendQueryFromRequest,
} from './requestParams';
import { ScaffolderOptionsService } from './ScaffolderOptionsService';
import { SpendService } from './SpendService';
import { SignalIngestService } from './SignalIngestService';
import { ingestionCredentials, ingestionRoute } from './ingestionBody';
import { IngestionSettings } from './ingestionConfig';
import { publicErrors } from './publicErrors';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  ownership: OwnershipService;
  ingest: SignalIngestService;
  dashboards: DashboardService;
  governance: GovernanceService;
  spend: SpendService;
  scaffolderOptions: ScaffolderOptionsService;
  ingestion: Pick<IngestionSettings, 'maxBodySize'>;
}

/** The largest body of a governance action (`{ reason }`). */
const MAX_ACTION_BODY = '16kb';

/** Maps the HTTP API to the services; no logic of its own. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    ownership,
    ingest,
    dashboards,
    governance,
    spend,
    scaffolderOptions,
    ingestion,
    logger,
  } = options;
  const router = Router();

  const readers = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  // Ingestion: service credentials checked before the body is read.
  const ingestionMiddleware = (
    route: keyof IngestionSettings['maxBodySize'],
    accepts: Array<'json' | 'ndjson'> = ['json'],
  ) =>
    ingestionRoute({
      httpAuth,
      route,
      limit: ingestion.maxBodySize[route],
      accepts,
    });

  router.get('/pipelines', async (req, res) => {
    res.json(await ownership.listPipelines(await readers(req)));
  });

  router.get('/pipelines/:namespace/:name/ownership', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    res.json(await ownership.getPipelineOwnership(ref, await readers(req)));
  });

  router.get('/pipelines/:namespace/:name/dashboard', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const range = rangeFromQuery(req.query);
    res.json(await dashboards.getDashboard(ref, range, await readers(req)));
  });

  router.get('/pipelines/:namespace/:name/halt', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    res.json(await governance.getHalt(ref, await readers(req)));
  });

  for (const action of ['halt', 'resume'] as const) {
    router.post(`/pipelines/:namespace/:name/${action}`, async (req, res) => {
      const ref = pipelineRefFromPath(req.params);
      const credentials = await readers(req);
      await new Promise<void>((resolve, reject) =>
        express.json({ limit: MAX_ACTION_BODY })(req, res, e =>
          e ? reject(e) : resolve(),
        ),
      );
      res.json(
        await governance.setHalted(
          ref,
          action === 'halt',
          req.body,
          credentials,
        ),
      );
    });
  }

  router.get('/ownership/report', async (req, res) => {
    const owner = ownerFromQuery('owner', req.query.owner);
    res.json(await ownership.getOwnershipReport(owner, await readers(req)));
  });

  router.get('/stages', async (req, res) => {
    const owner = ownerFromQuery('owner', req.query.owner);
    if (!owner) {
      throw new InputError(
        'Missing query parameter owner: give a Group or User ref',
      );
    }
    res.json(await ownership.getOwnedStages(owner, await readers(req)));
  });

  // The choices of the AI Platform scaffolder form fields for an owner the
  // caller may act for (403 otherwise; 400 for an unknown owner).
  router.get('/scaffolder/options', async (req, res) => {
    const credentials = await readers(req);
    const owner = ownerFromQuery('owner', req.query.owner);
    if (!owner) {
      throw new InputError(
        'Missing query parameter owner: give a Group or User ref',
      );
    }
    res.json(await scaffolderOptions.getOptions(owner, credentials));
  });

  router.post(
    '/signals',
    ...ingestionMiddleware('signals'),
    async (req, res) => {
      res.json(await ingest.ingestSignals(req.body, ingestionCredentials(res)));
    },
  );

  router.post(
    '/openlineage',
    ...ingestionMiddleware('openlineage'),
    async (req, res) => {
      res.json(
        await ingest.ingestOpenLineage(req.body, ingestionCredentials(res)),
      );
    },
  );

  router.post(
    '/usage',
    ...ingestionMiddleware('usage', ['json', 'ndjson']),
    async (req, res) => {
      res.json(await spend.ingestUsage(req.body));
    },
  );

  router.post(
    '/usage/litellm',
    ...ingestionMiddleware('litellm'),
    async (req, res) => {
      res.json(await spend.ingestLiteLLM(req.body));
    },
  );

  router.get('/spend', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getSpend(query, await readers(req)));
  });

  router.get('/spend/daily', async (req, res) => {
    const query = spendQueryFromRequest(req.query);
    res.json(await spend.getDailySpend(query, await readers(req)));
  });

  router.get('/spend/budget', async (req, res) => {
    const entityRef = entityRefFromQuery('entityRef', req.query.entityRef);
    if (!entityRef) {
      throw new InputError(
        'Missing query parameter entityRef: give a Group or AIPipeline ref',
      );
    }
    res.json(await spend.getBudget(entityRef, await readers(req)));
  });

  router.get('/spend/unpriced', async (req, res) => {
    const range = rangeFromQuery(req.query);
    res.json(await spend.getUnpriced(range, await readers(req)));
  });

  router.get('/audit', async (req, res) => {
    const credentials = await readers(req);
    const entityRef = entityRefFromQuery('entityRef', req.query.entityRef);
    const limit = limitFromQuery('limit', req.query.limit, {
      value: 100,
      max: 1000,
    });
    res.json({
      items: await governance.listAudit({ entityRef, limit }, credentials),
    });
  });

  router.use(publicErrors(logger));
  return router;
}
