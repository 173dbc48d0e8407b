import { HttpAuthService } from '@backstage/backend-plugin-api';
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
} from './requestParams';
import { SignalIngestService } from './SignalIngestService';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  ownership: OwnershipService;
  ingest: SignalIngestService;
  dashboards: DashboardService;
  governance: GovernanceService;
}

/** Maps the HTTP API to the services; no logic of its own. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, ownership, ingest, dashboards, governance } = options;
  const router = Router();
  router.use(express.json({ limit: '32mb' }));

  const readers = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const services = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['service'] });

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
    await readers(req);
    res.json(await governance.getHalt(ref));
  });

  for (const action of ['halt', 'resume'] as const) {
    router.post(`/pipelines/:namespace/:name/${action}`, async (req, res) => {
      const ref = pipelineRefFromPath(req.params);
      const credentials = await readers(req);
      res.json(
        await governance.setHalted(ref, action === 'halt', req.body, credentials),
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

  router.post('/signals', async (req, res) => {
    const credentials = await services(req);
    res.json(await ingest.ingestSignals(req.body, credentials));
  });

  router.post('/openlineage', async (req, res) => {
    const credentials = await services(req);
    res.json(await ingest.ingestOpenLineage(req.body, credentials));
  });

  router.get('/audit', async (req, res) => {
    await readers(req);
    const entityRef = entityRefFromQuery('entityRef', req.query.entityRef);
    const limit = limitFromQuery('limit', req.query.limit, {
      value: 100,
      max: 1000,
    });
    res.json({ items: await governance.listAudit({ entityRef, limit }) });
  });

  return router;
}
