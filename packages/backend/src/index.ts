/*
 * The portal backend: Backstage's own plugins plus the AI Platform suite.
 * Only backend.add(...) lines belong here; the portal's own modules are in
 * ./modules.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(import('@aiplatform/plugin-scaffolder-backend-module-ai-platform'));
// Embedded setup without a git host: templates publish to git repositories on
// this disk and register them (aiPlatform.localGit.root)
backend.add(
  import('@aiplatform/plugin-scaffolder-backend-module-ai-platform-local-git'),
);

// auth
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo portal only: sign in as the demo's admin (auth.providers.demo-admin)
backend.add(import('./modules/demoAdminSignIn'));

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@aiplatform/plugin-permission-backend-module-ai-platform-policy'),
);

// search
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// user settings, notifications and signals
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// AI Platform
backend.add(import('@aiplatform/plugin-catalog-backend-module-ai-platform'));
// The ai-platform-local-git location type, for the repositories above
backend.add(
  import('@aiplatform/plugin-catalog-backend-module-ai-platform-local-git'),
);
backend.add(import('@aiplatform/plugin-ai-platform-backend'));

// Actions for agents over MCP, at /api/mcp-actions/v1
// (backend.actions.pluginSources lists whose actions it serves)
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Demo portal only: demo history replayed through the ingestion routes
// (aiPlatform.demo.*)
backend.add(import('@aiplatform/plugin-ai-platform-backend-module-demo'));

backend.start();
