import express from 'express';
import { RouteContext } from '../shared/http/routeContext';
import {
  entityRefFromQuery,
  limitFromQuery,
  pipelineRefFromPath,
} from '../shared/http/requestParams';
import { GovernanceService } from './GovernanceService';

/** The largest body of a governance action (`{ reason }`). */
const MAX_ACTION_BODY = '16kb';

/** A pipeline's halt state, halting and resuming it, and the audit log. */
export function registerGovernanceRoutes(
  router: express.Router,
  { readers }: RouteContext,
  governance: GovernanceService,
) {
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
}
