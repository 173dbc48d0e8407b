import { ApiRouter } from '../shared/http/apiRouter';
import { RouteContext } from '../shared/http/routeContext';
import { ownerFromQuery } from '../shared/http/requestParams';
import { ScaffolderOptionsService } from './ScaffolderOptionsService';

/**
 * The choices of the AI Platform scaffolder form fields for an owner the
 * caller may act for (403 otherwise; 400 for an unknown owner).
 */
export function registerScaffolderRoutes(
  router: ApiRouter,
  { readers }: RouteContext,
  scaffolderOptions: ScaffolderOptionsService,
) {
  router.get('/scaffolder/options', async (req, res) => {
    const credentials = await readers(req);
    // `owner` is required by the spec.
    const owner = ownerFromQuery('owner', req.query.owner)!;
    res.json(await scaffolderOptions.getOptions(owner, credentials));
  });
}
