import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  compatWrapper,
  convertLegacyRouteRef,
} from '@backstage/core-compat-api';
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

const aiPlatformPage = PageBlueprint.make({
  params: {
    path: '/ai-platform',
    title: 'AI Platform',
    icon: <RiBrainLine />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/AiPlatformPage').then(m =>
        compatWrapper(<m.AiPlatformContent />),
      ),
  },
});

const pipelineDashboardContent = EntityContentBlueprint.make({
  name: 'dashboard',
  params: {
    path: 'dashboard',
    title: 'Dashboard',
    filter: isKind('aipipeline'),
    loader: () =>
      import('./components/PipelineDashboard').then(m =>
        compatWrapper(<m.PipelineDashboardContent />),
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
        compatWrapper(<m.PipelineOwnershipContent />),
      ),
  },
});

const ownedStagesCard = EntityCardBlueprint.make({
  name: 'owned-stages',
  params: {
    filter: e => isKind('group')(e) || isKind('user')(e),
    type: 'content',
    loader: () =>
      import('./components/OwnedStagesCard').then(m =>
        compatWrapper(<m.OwnedStagesCard />),
      ),
  },
});

const spendCard = EntityCardBlueprint.make({
  name: 'spend',
  params: {
    filter: e => isKind('group')(e) || isKind('aipipeline')(e),
    type: 'info',
    loader: () =>
      import('./components/EntitySpendCard').then(m =>
        compatWrapper(<m.EntitySpendCard />),
      ),
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
