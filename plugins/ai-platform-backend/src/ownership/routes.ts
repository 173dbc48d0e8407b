import { ApiRouter } from '../shared/http/apiRouter';
import { RouteContext } from '../shared/http/routeContext';
import {
  ownerFromQuery,
  pipelineRefFromPath,
} from '../shared/http/requestParams';
import { listQuery } from '../shared/http/pagination';
import { OwnershipService } from './OwnershipService';

/** `GET /pipelines`, a pipeline's ownership, the ownership report, a group's stages. */
export function registerOwnershipRoutes(
  router: ApiRouter,
  { readers }: RouteContext,
  ownership: OwnershipService,
) {
  // limit, offset, q and sort are checked (bounds, enums, defaults) by the spec.
  router.get('/pipelines', async (req, res) => {
    res.json(
      await ownership.listPipelines(await readers(req), listQuery(req.query)),
    );
  });

  router.get('/pipelines/:namespace/:name/ownership', async (req, res) => {
    const ref = pipelineRefFromPath(req.params);
    res.json(await ownership.getPipelineOwnership(ref, await readers(req)));
  });

  router.get('/ownership/report', async (req, res) => {
    const owner = ownerFromQuery('owner', req.query.owner);
    res.json(
      await ownership.getOwnershipReport(
        owner,
        await readers(req),
        listQuery(req.query),
      ),
    );
  });

  router.get('/stages', async (req, res) => {
    // `owner` is required by the spec.
    const owner = ownerFromQuery('owner', req.query.owner)!;
    res.json(
      await ownership.getOwnedStages(
        owner,
        await readers(req),
        listQuery(req.query),
      ),
    );
  });
}
