import {
  ApiBlueprint,
  PageBlueprint,
  SubPageBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { Entity } from '@backstage/catalog-model';
import { RiBrainLine } from '@remixicon/react';
import { aiPlatformApiRef } from './api/AiPlatformApi';
import { AiPlatformClient } from './api/AiPlatformClient';
import { rootRouteRef } from './routes';
import {
  AI_PLATFORM_SUB_PAGES,
  AiPlatformSubPagePath,
} from './components/AiPlatformPage/subPages';

const isKind = (kind: string) => (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === kind;

const aiPlatformApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: aiPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AiPlatformClient(deps),
    }),
});

/**
 * The element of a route-bearing extension: its own React Router v6
 * context (the components link with React Router), so it does not rely on
 * the app's implicit one.
 */
const routed = (element: JSX.Element) => (
  <ReactRouterV6PageRouter>{element}</ReactRouterV6PageRouter>
);

/** The AI Platform page: a header with a tab per sub-page, no content of its own. */
const aiPlatformPage = PageBlueprint.make({
  params: {
    path: '/ai-platform',
    title: 'AI Platform',
    icon: <RiBrainLine />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
  },
});

const SUB_PAGE_CONTENT: Record<
  AiPlatformSubPagePath,
  () => Promise<JSX.Element>
> = {
  pipelines: () =>
    import('./components/PipelinesTable').then(m => <m.PipelinesTable />),
  ownership: () =>
    import('./components/OwnershipReport').then(m => <m.OwnershipReport />),
  audit: () => import('./components/AuditLog').then(m => <m.AuditLog />),
  spend: () => import('./components/SpendPage').then(m => <m.SpendPage />),
};

/**
 * The sub-page extension of one entry of AI_PLATFORM_SUB_PAGES. Generic in the
 * path, so that each extension's name is its own literal type (a mapped list
 * would give every one the union, printed in an order TypeScript does not fix).
 */
function aiPlatformSubPage<TPath extends AiPlatformSubPagePath>(path: TPath) {
  const { title } = AI_PLATFORM_SUB_PAGES.find(page => page.path === path)!;
  return SubPageBlueprint.make({
    name: path,
    params: {
      path,
      title,
      loader: () =>
        Promise.all([
          SUB_PAGE_CONTENT[path](),
          import('@backstage/core-components'),
        ]).then(([content, { Content }]) =>
          routed(<Content>{content}</Content>),
        ),
    },
  });
}

/** The sub-pages of the AI Platform page, in the tab order of AI_PLATFORM_SUB_PAGES. */
const aiPlatformSubPages = [
  aiPlatformSubPage('pipelines'),
  aiPlatformSubPage('ownership'),
  aiPlatformSubPage('audit'),
  aiPlatformSubPage('spend'),
];

const pipelineDashboardContent = EntityContentBlueprint.make({
  name: 'dashboard',
  params: {
    path: 'dashboard',
    title: 'Dashboard',
    filter: isKind('aipipeline'),
    loader: () =>
      import('./components/PipelineDashboard').then(m =>
        routed(<m.PipelineDashboardContent />),
      ),
  },
});

const pipelineOwnershipContent = EntityContentBlueprint.make({
  name: 'ownership',
  params: {
    path: 'ownership',
    title: 'Ownership',
    filter: isKind('aipipeline'),
    loader: () =>
      import('./components/PipelineOwnershipContent').then(m =>
        routed(<m.PipelineOwnershipContent />),
      ),
  },
});

const ownedStagesCard = EntityCardBlueprint.make({
  name: 'owned-stages',
  params: {
    filter: e => isKind('group')(e) || isKind('user')(e),
    type: 'content',
    loader: () =>
      import('./components/OwnedStagesCard').then(m => <m.OwnedStagesCard />),
  },
});

const spendCard = EntityCardBlueprint.make({
  name: 'spend',
  params: {
    filter: e => isKind('group')(e) || isKind('aipipeline')(e),
    type: 'info',
    loader: () =>
      import('./components/EntitySpendCard').then(m => <m.EntitySpendCard />),
  },
});

/**
 * The AI Platform plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ai-platform',
  title: 'AI Platform',
  icon: <RiBrainLine />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: convertLegacyRouteRef(rootRouteRef) },
  extensions: [
    aiPlatformApi,
    aiPlatformPage,
    ...aiPlatformSubPages,
    pipelineDashboardContent,
    pipelineOwnershipContent,
    ownedStagesCard,
    spendCard,
  ],
});

const aiModelPickerFormField = FormFieldBlueprint.make({
  name: 'ai-model-picker',
  params: {
    field: () => import('./scaffolderFields').then(m => m.aiModelPickerField),
  },
});

const gpuFlavorPickerFormField = FormFieldBlueprint.make({
  name: 'gpu-flavor-picker',
  params: {
    field: () => import('./scaffolderFields').then(m => m.gpuFlavorPickerField),
  },
});

/**
 * The AI Platform scaffolder form fields for the new frontend system:
 * `AiModelPicker` and `GpuFlavorPicker`. A module of the scaffolder plugin;
 * the fields call the AI Platform API, so install the AI Platform plugin
 * (the default export) too.
 *
 * @alpha
 */
export const aiPlatformScaffolderFieldsModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [aiModelPickerFormField, gpuFlavorPickerFormField],
});
