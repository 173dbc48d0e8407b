import { ApiRouter } from '../shared/http/apiRouter';
import { RouteContext } from '../shared/http/routeContext';
import {
  entityRefFromQuery,
  pipelineRefFromPath,
} from '../shared/http/requestParams';
import { GovernanceService } from './GovernanceService';

/** The audit page size without `limit` (the spec's default too). */
const DEFAULT_AUDIT_LIMIT = 100;

/**
 * A pipeline's halt state, halting and resuming it and retrying its
 * enforcement (their JSON bodies are
 * parsed by `actionBodies` in front of the typed router), and the audit log.
 */
export function registerGovernanceRoutes(
  router: ApiRouter,
  { readers }: RouteContext,
  governance: GovernanceService,
) {
  router.get('/pipelines/:namespace/:name/halt', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    res.json(await governance.getHalt(ref, await readers(req)));
  });

  router.post('/pipelines/:namespace/:name/halt', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const credentials = await readers(req);
    res.json(await governance.setHalted(ref, true, req.body, credentials));
  });

  router.post('/pipelines/:namespace/:name/halt/retry', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const credentials = await readers(req);
    res.json(await governance.retryEnforcement(ref, credentials));
  });

  router.post('/pipelines/:namespace/:name/resume', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    const credentials = await readers(req);
    res.json(await governance.setHalted(ref, false, req.body, credentials));
  });

  router.get('/audit', async (req, res) => {
    const credentials = await readers(req);
    const entityRef = entityRefFromQuery('entityRef', req.query.entityRef);
    const limit = req.query.limit ?? DEFAULT_AUDIT_LIMIT;
    res.json({
      items: await governance.listAudit({ entityRef, limit }, credentials),
    });
  });
}
