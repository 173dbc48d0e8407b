import express from 'express';
import { RouteContext } from '../shared/http/routeContext';
import { ownerFromQuery, requiredQuery } from '../shared/http/requestParams';
import { ScaffolderOptionsService } from './ScaffolderOptionsService';

/**
 * The choices of the AI Platform scaffolder form fields for an owner the
 * caller may act for (403 otherwise; 400 for an unknown owner).
 */
export function registerScaffolderRoutes(
  router: express.Router,
  { readers }: RouteContext,
  scaffolderOptions: ScaffolderOptionsService,
) {
  router.get('/scaffolder/options', async (req, res) => {
    const credentials = await readers(req);
    const owner = requiredQuery(
      'owner',
      ownerFromQuery('owner', req.query.owner),
      'a Group or User ref',
    );
    res.json(await scaffolderOptions.getOptions(owner, credentials));
  });
}
