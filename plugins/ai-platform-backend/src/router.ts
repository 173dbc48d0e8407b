import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { registerGovernanceRoutes } from './governance/routes';
import { GovernanceService } from './governance/GovernanceService';
import { registerOwnershipRoutes } from './ownership/routes';
import { OwnershipService } from './ownership/OwnershipService';
import { registerScaffolderRoutes } from './scaffolder/routes';
import { ScaffolderOptionsService } from './scaffolder/ScaffolderOptionsService';
import { actionBodies } from './shared/http/actionBody';
import { createApiRouter } from './shared/http/apiRouter';
import { createRouteContext } from './shared/http/routeContext';
import { publicErrors } from './shared/http/publicErrors';
import { IngestionSettings } from './shared/ingestion/ingestionConfig';
import {
  registerSignalIngestionRoutes,
  registerSignalRoutes,
} from './signals/routes';
import { DashboardService } from './signals/DashboardService';
import { SignalIngestService } from './signals/SignalIngestService';
import {
  registerSpendRoutes,
  registerUsageIngestionRoutes,
} from './spend/routes';
import { SpendService } from './spend/SpendService';

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

/**
 * The HTTP API, described by `src/schema/openapi.yaml`: each feature's
 * routes (ownership, signals, governance, spend, scaffolder options), then
 * the errors every route answers with.
 *
 * Ingestion comes first, in front of the typed router: its routes check
 * service credentials before reading the body (a refusal closes the
 * connection unread) and bound the inflated body themselves, so no
 * validator may parse or look at the request before them. The other routes
 * go through the typed router, which answers a request that does not match
 * the spec with a 400 naming the parameter.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, ingestion, logger } = options;
  const router = Router();
  const context = createRouteContext({ httpAuth, ingestion });

  registerSignalIngestionRoutes(router, context, options.ingest);
  registerUsageIngestionRoutes(router, context, options.spend);

  router.use(actionBodies());
  const api = await createApiRouter();
  registerOwnershipRoutes(api, context, options.ownership);
  registerSignalRoutes(api, context, options.dashboards);
  registerGovernanceRoutes(api, context, options.governance);
  registerScaffolderRoutes(api, context, options.scaffolderOptions);
  registerSpendRoutes(api, context, options.spend);
  router.use(api);

  router.use(publicErrors(logger));
  return router;
}
