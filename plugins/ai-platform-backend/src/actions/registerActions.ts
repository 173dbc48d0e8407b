import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { GovernanceService } from '../governance/GovernanceService';
import { OwnershipService } from '../ownership/OwnershipService';
import { DashboardService } from '../signals/DashboardService';
import { SpendService } from '../spend/SpendService';
import { registerHaltActions } from './haltActions';
import { registerGetPipelineHealthAction } from './healthAction';
import {
  registerGetPipelineOwnershipAction,
  registerListOwnershipGapsAction,
} from './ownershipActions';
import { registerGetTeamSpendAction } from './spendAction';

/**
 * The actions for agents (served over MCP by
 * `@backstage/plugin-mcp-actions-backend`): each answers what its HTTP
 * route answers, through the same service, with the caller's credentials.
 */
export function registerAiPlatformActions(
  registry: ActionsRegistryService,
  services: {
    ownership: OwnershipService;
    dashboards: DashboardService;
    spend: SpendService;
    governance: GovernanceService;
  },
) {
  registerGetPipelineOwnershipAction(registry, services.ownership);
  registerGetPipelineHealthAction(registry, services.dashboards);
  registerListOwnershipGapsAction(registry, services.ownership);
  registerGetTeamSpendAction(registry, services.spend);
  registerHaltActions(registry, services.governance);
}
