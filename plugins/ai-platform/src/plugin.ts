import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { aiPlatformApiRef } from './api/AiPlatformApi';
import { AiPlatformClient } from './api/AiPlatformClient';
import { rootRouteRef } from './routes';
import {
  AiModelPicker,
  AiModelPickerFieldSchema,
} from './components/AiModelPicker';
import {
  GpuFlavorPicker,
  GpuFlavorPickerFieldSchema,
} from './components/GpuFlavorPicker';

/**
 * The AI Platform plugin for apps on the legacy frontend system. Apps on the
 * new frontend system use the default export of `@aiplatform/plugin-ai-platform/alpha`.
 *
 * @public
 */
export const aiPlatformPlugin = createPlugin({
  id: 'ai-platform',
  apis: [
    createApiFactory({
      api: aiPlatformApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new AiPlatformClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The AI Platform page (pipelines, ownership report, audit log and AI spend). @public */
export const AiPlatformPage: () => JSX.Element = aiPlatformPlugin.provide(
  createRoutableExtension({
    name: 'AiPlatformPage',
    component: () =>
      import('./components/AiPlatformPage').then(m => m.AiPlatformPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Entity tab content for AIPipeline entities: health, signals over time, SLOs
 * and the halt button. @public
 */
export const EntityPipelineDashboardContent: () => JSX.Element = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityPipelineDashboardContent',
    component: {
      lazy: () =>
        import('./components/PipelineDashboard').then(
          m => m.PipelineDashboardContent,
        ),
    },
  }),
);

/** Entity tab content for AIPipeline entities: the ownership graph. @public */
export const EntityPipelineOwnershipContent: () => JSX.Element = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityPipelineOwnershipContent',
    component: {
      lazy: () =>
        import('./components/PipelineOwnershipContent').then(
          m => m.PipelineOwnershipContent,
        ),
    },
  }),
);

/** Entity card for Group pages: the pipeline stages the group owns. @public */
export const EntityOwnedStagesCard: () => JSX.Element = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntityOwnedStagesCard',
    component: {
      lazy: () =>
        import('./components/OwnedStagesCard').then(m => m.OwnedStagesCard),
    },
  }),
);

/**
 * Entity card for Group and AIPipeline pages: this month's AI spend against
 * the budget, with the month-end forecast (a Group's covers its sub-teams).
 * @public
 */
export const EntitySpendCard: () => JSX.Element = aiPlatformPlugin.provide(
  createComponentExtension({
    name: 'EntitySpendCard',
    component: {
      lazy: () =>
        import('./components/EntitySpendCard').then(m => m.EntitySpendCard),
    },
  }),
);

/**
 * The `AiModelPicker` scaffolder field for apps on the legacy frontend
 * system: place it inside `<ScaffolderFieldExtensions>`. @public
 */
export const AiModelPickerFieldExtension = aiPlatformPlugin.provide(
  createScaffolderFieldExtension({
    name: 'AiModelPicker',
    component: AiModelPicker,
    schema: AiModelPickerFieldSchema.schema,
  }),
);

/**
 * The `GpuFlavorPicker` scaffolder field for apps on the legacy frontend
 * system: place it inside `<ScaffolderFieldExtensions>`. @public
 */
export const GpuFlavorPickerFieldExtension = aiPlatformPlugin.provide(
  createScaffolderFieldExtension({
    name: 'GpuFlavorPicker',
    component: GpuFlavorPicker,
    schema: GpuFlavorPickerFieldSchema.schema,
  }),
);
