import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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
import { AI_PLATFORM_SUB_PAGES } from './components/AiPlatformPage';
import {
  appHistoryOf,
  appUrlOf,
  mockAiPlatformApi,
  pageApiMethods,
} from './testUtils';
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
});

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

function mockPageApi() {
  return mockAiPlatformApi({
    ...mockApi(),
    ...pageApiMethods(),
  });
}

/** The app with the AI Platform plugin, at `url`. */
function renderApp(url: string, api = mockPageApi()) {
  const rendered = renderTestApp({
    features: [aiPlatformPlugin],
    initialRouteEntries: [url],
    mountedRoutes,
    apis: [
      [aiPlatformApiRef, api],
      [catalogApiRef, catalogApiMock()],
    ],
  });
  return { ...rendered, api };
}

/** The header's tab links of the AI Platform page, by name. */
async function tabLinks() {
  const tabs = await screen.findAllByRole('tab', undefined, {
    timeout: 15_000,
  });
  return tabs.map(tab => [
    tab.textContent,
    (tab.closest('a') ?? tab).getAttribute('href'),
  ]);
}

/** What each sub-page shows first, once its data is in. */
const SHOWN: Record<string, () => Promise<unknown>> = {
  pipelines: () =>
    screen.findByText('Support RAG', undefined, { timeout: 15_000 }),
  ownership: () =>
    screen.findByLabelText('Team (includes sub-teams)', undefined, {
      timeout: 15_000,
    }),
  audit: () =>
    screen.findByText('Answers cite stale docs', undefined, {
      timeout: 15_000,
    }),
  spend: () =>
    screen.findByRole(
      'table',
      { name: 'Teams ranked by cost' },
      { timeout: 15_000 },
    ),
};

describe('the AI Platform page in an app', () => {
  it('redirects /ai-platform to its first sub-page, with a tab link per sub-page', async () => {
    const rendered = renderApp('/ai-platform');

    await SHOWN.pipelines();
    expect(appUrlOf(rendered)).toBe('/ai-platform/pipelines');
    expect(appHistoryOf(rendered).getSnapshot().entry?.index).toBe(0);
    expect(await tabLinks()).toEqual([
      ['Pipelines', '/ai-platform/pipelines'],
      ['Ownership report', '/ai-platform/ownership'],
      ['Audit', '/ai-platform/audit'],
      ['Spend', '/ai-platform/spend'],
    ]);
    // every entry of the shared list is a sub-page extension, in its order
    expect(await tabLinks()).toEqual(
      AI_PLATFORM_SUB_PAGES.map(page => [
        page.title,
        `/ai-platform/${page.path}`,
      ]),
    );
    expect(rendered.api.listPipelines).toHaveBeenCalled();
    expect(rendered.api.listAudit).not.toHaveBeenCalled();
    expect(rendered.api.getSpend).not.toHaveBeenCalled();
  }, 20_000);

  it.each(['pipelines', 'ownership', 'audit', 'spend'])(
    'serves /ai-platform/%s',
    async path => {
      const rendered = renderApp(`/ai-platform/${path}`);
      expect(await SHOWN[path]()).toBeInTheDocument();
      expect(appUrlOf(rendered)).toBe(`/ai-platform/${path}`);
      const selected = screen
        .getAllByRole('tab')
        .filter(tab => tab.getAttribute('aria-selected') === 'true');
      expect(selected.map(tab => tab.textContent)).toEqual([
        AI_PLATFORM_SUB_PAGES.find(page => page.path === path)!.title,
      ]);
    },
    20_000,
  );

  it('moves between sub-pages by their tabs, and back', async () => {
    const rendered = renderApp('/ai-platform/pipelines');
    await SHOWN.pipelines();

    await userEvent.click(screen.getByRole('tab', { name: 'Audit' }));
    expect(await SHOWN.audit()).toBeInTheDocument();
    expect(appUrlOf(rendered)).toBe('/ai-platform/audit');

    await act(async () => appHistoryOf(rendered).navigate(-1));
    expect(await SHOWN.pipelines()).toBeInTheDocument();
    expect(appUrlOf(rendered)).toBe('/ai-platform/pipelines');
  }, 20_000);

  it('opens a shared spend link with its range and team', async () => {
    const rendered = renderApp(
      '/ai-platform/spend?range=90d&team=group:default/ml-team',
    );
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Team ml-team' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'last 90 days' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(rendered.api.getSpend).toHaveBeenCalledWith(
      expect.objectContaining({
        groupBy: 'service',
        team: 'group:default/ml-team',
      }),
    );
    expect(appUrlOf(rendered)).toBe(
      '/ai-platform/spend?range=90d&team=group:default/ml-team',
    );
  }, 20_000);

  it('keeps the query string through the redirect of /ai-platform', async () => {
    const rendered = renderApp('/ai-platform?range=30d');
    await SHOWN.pipelines();
    expect(appUrlOf(rendered)).toBe('/ai-platform/pipelines?range=30d');
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
