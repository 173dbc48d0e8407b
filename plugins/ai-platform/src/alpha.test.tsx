import { screen, waitFor, within } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  PageBlueprint,
  coreExtensionData,
  createExtensionInput,
  createFrontendPlugin,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import {
  FormField,
  FormFieldBlueprint,
  formFieldsApiRef,
} from '@backstage/plugin-scaffolder-react/alpha';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { Entity } from '@backstage/catalog-model';
import { AiPlatformApi, aiPlatformApiRef } from './api/AiPlatformApi';
import { mockAiPlatformApi } from './testUtils';
import aiPlatformPlugin, { aiPlatformScaffolderFieldsModule } from './alpha';

function mockApi(): jest.Mocked<AiPlatformApi> {
  return mockAiPlatformApi({
    listPipelines: jest.fn().mockResolvedValue({
      items: [
        {
          pipeline: 'aipipeline:default/support-rag',
          title: 'Support RAG',
          type: 'rag',
          lifecycle: 'production',
          owner: 'group:default/ml-team',
          stageCount: 4,
          findings: { error: 0, warning: 0, info: 0 },
          health: 'healthy',
        },
      ],
    }),
    getOwnershipReport: jest.fn().mockResolvedValue({ items: [] }),
  });
}

const entityOfKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
});

describe('ai-platform alpha plugin', () => {
  it('is the ai-platform plugin', () => {
    expect(aiPlatformPlugin.pluginId).toBe('ai-platform');
  });

  it('mounts its page extension at /ai-platform', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('page:ai-platform'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/ai-platform');
  });

  it('shows the ownership tab on AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-content:ai-platform/ownership'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('ownership');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Ownership');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('Component'))).toBe(false);
  });

  it('shows the dashboard tab on AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-content:ai-platform/dashboard'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('dashboard');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Dashboard');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('Component'))).toBe(false);
    expect(filter(entityOfKind('Group'))).toBe(false);
  });

  it('shows the owned-stages card on Group and User entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-card:ai-platform/owned-stages'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('Group'))).toBe(true);
    expect(filter(entityOfKind('User'))).toBe(true);
    expect(filter(entityOfKind('AIPipeline'))).toBe(false);
  });

  it('shows the spend card on Group and AIPipeline entities only', () => {
    const tester = createExtensionTester(
      aiPlatformPlugin.getExtension('entity-card:ai-platform/spend'),
    );
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('Group'))).toBe(true);
    expect(filter(entityOfKind('AIPipeline'))).toBe(true);
    expect(filter(entityOfKind('User'))).toBe(false);
    expect(filter(entityOfKind('Component'))).toBe(false);
  });

  it('serves the AI Platform page at /ai-platform in an app', async () => {
    const api = mockApi();
    renderTestApp({
      features: [aiPlatformPlugin],
      initialRouteEntries: ['/ai-platform'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [aiPlatformApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ],
    });

    // The page is lazy-loaded: its first import under Jest can be slow.
    expect(
      await screen.findByText('Support RAG', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Pipelines' })).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Ownership report' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Audit' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Spend' })).toBeInTheDocument();
    expect(api.listPipelines).toHaveBeenCalled();
  }, 20_000);
});

/** What createFormField makes, behind the opaque FormField type. */
type LoadedField = FormField & {
  name: string;
  component: (props: FieldExtensionComponentProps<unknown>) => JSX.Element;
};

/**
 * A stand-in for the scaffolder plugin: its form-fields API, which collects
 * the FormFieldBlueprint loaders attached to it, and a page that renders
 * the loaded fields as a template form would, with ml-team as the owner.
 */
const fakeScaffolderPlugin = createFrontendPlugin({
  pluginId: 'scaffolder',
  extensions: [
    ApiBlueprint.makeWithOverrides({
      name: 'form-fields',
      inputs: {
        formFields: createExtensionInput([
          FormFieldBlueprint.dataRefs.formFieldLoader,
        ]),
      },
      factory(originalFactory, { inputs }) {
        const loaders = inputs.formFields.map(f =>
          f.get(FormFieldBlueprint.dataRefs.formFieldLoader),
        );
        return originalFactory(defineParams =>
          defineParams({
            api: formFieldsApiRef,
            deps: {},
            factory: () => ({
              loadFormFields: () => Promise.all(loaders.map(l => l())),
            }),
          }),
        );
      },
    }),
    PageBlueprint.make({
      params: {
        path: '/create',
        loader: async () => <FormFieldsProbe />,
      },
    }),
  ],
});

function FormFieldsProbe() {
  const formFieldsApi = useApi(formFieldsApiRef);
  const { value } = useAsync(() => formFieldsApi.loadFormFields(), []);
  const fields = (value ?? []) as LoadedField[];
  return (
    <>
      <ul aria-label="form fields">
        {fields.map(f => (
          <li key={f.name}>{f.name}</li>
        ))}
      </ul>
      {fields.map(({ name, component: Field }) => (
        <Field
          key={name}
          {...({
            name,
            schema: {},
            uiSchema: {},
            idSchema: { $id: `root_${name}` },
            formContext: { formData: { owner: 'group:default/ml-team' } },
            onChange: () => {},
            rawErrors: [],
          } as unknown as FieldExtensionComponentProps<unknown>)}
        />
      ))}
    </>
  );
}

describe('aiPlatformScaffolderFieldsModule', () => {
  it('is a module of the scaffolder plugin', () => {
    expect(aiPlatformScaffolderFieldsModule.pluginId).toBe('scaffolder');
  });

  it('adds AiModelPicker and GpuFlavorPicker to the scaffolder, served by the AI Platform API', async () => {
    const fetch = jest.fn(
      async (_input: RequestInfo | URL) =>
        new Response(
          JSON.stringify({
            owner: 'group:default/ml-team',
            models: ['gpt-4o'],
            gpu: {
              flavors: [{ name: 'a100', resource: 'nvidia.com/gpu' }],
              quota: 8,
              currentUse: 6,
            },
          }),
          { headers: { 'Content-Type': 'application/json' } },
        ),
    );
    renderTestApp({
      // The AI Platform plugin's own API extension, not a mock: APIs are
      // app-wide, so the scaffolder's pages reach it.
      features: [
        fakeScaffolderPlugin,
        aiPlatformScaffolderFieldsModule,
        aiPlatformPlugin,
      ],
      initialRouteEntries: ['/create'],
      apis: [[fetchApiRef, { fetch }]],
    });

    const list = await screen.findByRole('list', { name: 'form fields' });
    await waitFor(() =>
      expect(
        within(list)
          .getAllByRole('listitem')
          .map(li => li.textContent)
          .sort(),
      ).toEqual(['AiModelPicker', 'GpuFlavorPicker']),
    );
    expect(
      await screen.findByText('Quota 8 GPUs, 6 in use'),
    ).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(
      expect.stringMatching(
        /\/api\/ai-platform\/scaffolder\/options\?owner=group%3Adefault%2Fml-team$/,
      ),
    );
  }, 20_000);
});
