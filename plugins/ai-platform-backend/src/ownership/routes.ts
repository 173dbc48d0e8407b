import express from 'express';
import { RouteContext } from '../shared/http/routeContext';
import {
  ownerFromQuery,
  pipelineRefFromPath,
  requiredQuery,
} from '../shared/http/requestParams';
import { OwnershipService } from './OwnershipService';

/** `GET /pipelines`, a pipeline's ownership, the ownership report, a group's stages. */
export function registerOwnershipRoutes(
  router: express.Router,
  { readers }: RouteContext,
  ownership: OwnershipService,
) {
  router.get('/pipelines', async (req, res) => {
    res.json(await ownership.listPipelines(await readers(req)));
  });

  router.get('/pipelines/:namespace/:name/ownership', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    res.json(await ownership.getPipelineOwnership(ref, await readers(req)));
  });

  router.get('/ownership/report', async (req, res) => {
    const owner = ownerFromQuery('owner', req.query.owner);
    res.json(await ownership.getOwnershipReport(owner, await readers(req)));
  });

  router.get('/stages', async (req, res) => {
    const owner = requiredQuery(
      'owner',
      ownerFromQuery('owner', req.query.owner),
      'a Group or User ref',
    );
    res.json(await ownership.getOwnedStages(owner, await readers(req)));
  });
}
