import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { registerGovernanceRoutes } from './governance/routes';
import { GovernanceService } from './governance/GovernanceService';
import { registerOwnershipRoutes } from './ownership/routes';
import { OwnershipService } from './ownership/OwnershipService';
import { registerScaffolderRoutes } from './scaffolder/routes';
import { ScaffolderOptionsService } from './scaffolder/ScaffolderOptionsService';
import { createRouteContext } from './shared/http/routeContext';
import { publicErrors } from './shared/http/publicErrors';
import { IngestionSettings } from './shared/ingestion/ingestionConfig';
import { registerSignalRoutes } from './signals/routes';
import { DashboardService } from './signals/DashboardService';
import { SignalIngestService } from './signals/SignalIngestService';
import { registerSpendRoutes } from './spend/routes';
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
 * The HTTP API: each feature's routes (ownership, signals, governance, spend,
 * scaffolder options), then the errors every route answers with.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, ingestion, logger } = options;
  const router = Router();
  const context = createRouteContext({ httpAuth, ingestion });

  registerOwnershipRoutes(router, context, options.ownership);
  registerSignalRoutes(router, context, options);
  registerGovernanceRoutes(router, context, options.governance);
  registerScaffolderRoutes(router, context, options.scaffolderOptions);
  registerSpendRoutes(router, context, options.spend);

  router.use(publicErrors(logger));
  return router;
}
