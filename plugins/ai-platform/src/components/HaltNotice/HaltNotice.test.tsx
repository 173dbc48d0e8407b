import { act, screen, waitFor, within } from '@testing-library/react';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { HaltState } from '@aiplatform/plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import {
  NOT_ENTITY_REFS,
  clientAnswering,
  expectShownAsText,
  mockAiPlatformApi,
  mockSignalApi,
} from '../../testUtils';
import { HaltDetails, PipelineHaltAlert } from './HaltNotice';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

const halted: HaltState = {
  halted: true,
  reason: 'answers cite stale docs',
  by: 'user:default/jane',
  at: '2025-03-01T10:00:00.000Z',
};

describe('HaltDetails', () => {
  it('says who halted the pipeline, when and why', async () => {
    renderInTestApp(<HaltDetails halt={halted} />, { mountedRoutes });

    const details = screen.getByTestId('halt-details');
    expect(details).toHaveTextContent(
      /^Halted by jane on .+: “?answers cite stale docs/,
    );
    expect(screen.getByRole('link', { name: 'jane' })).toHaveAttribute(
      'href',
      '/catalog/default/user/jane',
    );
    expect(details.querySelector('time')).toHaveAttribute(
      'dateTime',
      '2025-03-01T10:00:00.000Z',
    );
  });

  it.each(NOT_ENTITY_REFS.filter(Boolean))(
    'shows who halted it as text when that is %p, not an entity',
    async by => {
      const { container } = renderInTestApp(
        <HaltDetails halt={{ ...halted, by }} />,
        { mountedRoutes },
      );
      expectShownAsText(screen.getByTestId('halt-details'), by);
      expect(container.querySelector('a')).toBeNull();
    },
  );

  it('says nothing of who halted it when that is empty', async () => {
    renderInTestApp(<HaltDetails halt={{ ...halted, by: '' }} />, {
      mountedRoutes,
    });
    expect(screen.getByTestId('halt-details')).toHaveTextContent(
      /^Halted on .+: “?answers cite stale docs/,
    );
  });

  it('leaves out what it does not know', async () => {
    renderInTestApp(
      <HaltDetails halt={{ halted: true, reason: null, by: null, at: null }} />,
    );
    expect(screen.getByTestId('halt-details')).toHaveTextContent(/^Halted\.$/);
  });
});

describe('HaltDetails of a policy halt', () => {
  const byPolicy: HaltState = {
    halted: true,
    reason: 'SLO answer-accuracy breached',
    by: 'ai-platform (policy answer-accuracy)',
    at: '2025-03-01T10:00:00.000Z',
    policy: { slo: 'answer-accuracy' },
  };

  it('says which SLO the policy halted it on, and who as text', async () => {
    const { container } = renderInTestApp(<HaltDetails halt={byPolicy} />, {
      mountedRoutes,
    });
    const policy = screen.getByTestId('halt-policy');
    expect(policy).toHaveTextContent(/^Halted by policy: SLO answer-accuracy$/);
    expect(within(policy).getByText('answer-accuracy').tagName).toBe('STRONG');
    expectShownAsText(
      screen.getByTestId('halt-details'),
      'ai-platform (policy answer-accuracy)',
    );
    expect(container.querySelector('a')).toBeNull();
  });

  it('says nothing of a policy for a halt by a person, nor once resumed', async () => {
    const { unmount } = renderInTestApp(<HaltDetails halt={halted} />, {
      mountedRoutes,
    });
    expect(screen.getByTestId('halt-details')).toBeInTheDocument();
    expect(screen.queryByTestId('halt-policy')).not.toBeInTheDocument();
    unmount();

    renderInTestApp(<HaltDetails halt={{ ...byPolicy, halted: false }} />, {
      mountedRoutes,
    });
    expect(screen.queryByTestId('halt-policy')).not.toBeInTheDocument();
  });
});

describe('HaltDetails with enforcement', () => {
  const enforced: HaltState = {
    ...halted,
    enforcement: [
      {
        enforcer: 'litellm',
        target: 'key:component:default/kb-api',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'key:embed',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'key:eval',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'litellm',
        target: 'team:kb-api',
        status: 'applied',
        message: 'blocked',
      },
      {
        enforcer: 'webhook',
        target: 'http://hooks.local/halt',
        status: 'failed',
        message: '502 Bad Gateway',
      },
    ],
  };

  it('says where the halt was enforced and what failed', async () => {
    renderInTestApp(<HaltDetails halt={enforced} />, { mountedRoutes });
    expect(screen.getByTestId('halt-enforcement')).toHaveTextContent(
      'Halted at LiteLLM (3 keys, 1 team); webhook failed: 502 Bad Gateway (retried every minute).',
    );
    // The sentence about who halted it is unchanged.
    expect(screen.getByTestId('halt-details')).toHaveTextContent(
      /^Halted by jane on .+: “?answers cite stale docs”?$/,
    );
  });

  it('names an applied webhook without counting it', async () => {
    renderInTestApp(
      <HaltDetails
        halt={{
          ...halted,
          enforcement: [
            {
              enforcer: 'webhook',
              target: 'http://hooks.local/halt',
              status: 'applied',
              message: '200 OK',
            },
            {
              enforcer: 'argo',
              target: 'argo',
              status: 'pending',
              message: '',
            },
          ],
        }}
      />,
      { mountedRoutes },
    );
    expect(screen.getByTestId('halt-enforcement')).toHaveTextContent(
      'Halted at webhook; argo pending (retried every minute).',
    );
  });

  it('counts Kubernetes workloads of every kind, and Envoy AI Gateway routes', async () => {
    // The targets the built-in kubernetes and envoy-ai-gateway enforcers write.
    const applied = (enforcer: string, target: string) => ({
      enforcer,
      target,
      status: 'applied' as const,
      message: 'done',
    });
    renderInTestApp(
      <HaltDetails
        halt={{
          ...halted,
          enforcement: [
            applied('kubernetes', 'workload:deployment/ml/kb-api'),
            applied('kubernetes', 'workload:cronjob/ml/kb-reindex'),
            applied('kubernetes', 'workload:statefulset/ml/kb-vectors'),
            applied('envoy-ai-gateway', 'route:ai-gateway/kb-api'),
          ],
        }}
      />,
      { mountedRoutes },
    );
    expect(screen.getByTestId('halt-enforcement')).toHaveTextContent(
      'Halted at Kubernetes (3 workloads), Envoy AI Gateway (1 route).',
    );
  });

  it('says nothing of enforcement when no enforcer acted', async () => {
    renderInTestApp(<HaltDetails halt={halted} />, { mountedRoutes });
    expect(screen.queryByTestId('halt-enforcement')).not.toBeInTheDocument();
  });
});

describe('PipelineHaltAlert', () => {
  it('shows an error alert with the details when the pipeline is halted', async () => {
    const api = mockAiPlatformApi({
      getHaltState: jest.fn().mockResolvedValue(halted),
    });
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, api]]}>
        <PipelineHaltAlert namespace="ml" name="support-rag" />
      </TestApiProvider>,
      { mountedRoutes },
    );

    const alert = await screen.findByTestId('halt-alert');
    expect(alert).toHaveTextContent('This pipeline is halted');
    expect(alert).toHaveTextContent('answers cite stale docs');
    expect(api.getHaltState).toHaveBeenCalledWith('ml', 'support-rag');
  });

  it('fetches the halt state again on a pipelines signal', async () => {
    const signals = mockSignalApi();
    const api = mockAiPlatformApi({
      getHaltState: jest
        .fn()
        .mockResolvedValueOnce({
          halted: false,
          reason: null,
          by: null,
          at: null,
        })
        .mockResolvedValue(halted),
    });
    renderInTestApp(
      <TestApiProvider
        apis={[
          [aiPlatformApiRef, api],
          [signalApiRef, signals.api],
        ]}
      >
        <PipelineHaltAlert namespace="ml" name="support-rag" />
      </TestApiProvider>,
      { mountedRoutes },
    );
    await waitFor(() => expect(api.getHaltState).toHaveBeenCalledTimes(1));
    await act(async () => {});
    expect(screen.queryByTestId('halt-alert')).not.toBeInTheDocument();

    act(() => signals.emit());
    expect(await screen.findByTestId('halt-alert')).toHaveTextContent(
      'answers cite stale docs',
    );
    expect(api.getHaltState).toHaveBeenCalledTimes(2);
  });

  it('shows nothing when the pipeline runs or the state cannot be fetched', async () => {
    const running = mockAiPlatformApi({
      getHaltState: jest.fn().mockResolvedValue({
        halted: false,
        reason: 'fixed',
        by: 'user:default/jane',
        at: '2025-03-02T10:00:00.000Z',
      }),
    });
    const { unmount } = renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, running]]}>
        <PipelineHaltAlert namespace="default" name="a" />
      </TestApiProvider>,
    );
    await waitFor(() => expect(running.getHaltState).toHaveBeenCalled());
    await act(async () => {}); // let the resolved state render
    expect(screen.queryByTestId('halt-alert')).not.toBeInTheDocument();
    unmount();

    const failing = mockAiPlatformApi({
      getHaltState: jest.fn().mockRejectedValue(new Error('down')),
    });
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, failing]]}>
        <PipelineHaltAlert namespace="default" name="a" />
      </TestApiProvider>,
    );
    await waitFor(() => expect(failing.getHaltState).toHaveBeenCalled());
    await act(async () => {}); // let the rejection render
    expect(screen.queryByTestId('halt-alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/down/)).not.toBeInTheDocument();
  });

  it('shows nothing for a pipeline the backend does not know (404)', async () => {
    const paths: string[] = [];
    const client = clientAnswering(path => {
      paths.push(path);
      return {
        status: 404,
        body: {
          error: { name: 'NotFoundError', message: 'No AIPipeline gone' },
          response: { statusCode: 404 },
        },
      };
    });
    renderInTestApp(
      <TestApiProvider apis={[[aiPlatformApiRef, client]]}>
        <div data-testid="subject">
          <PipelineHaltAlert namespace="default" name="gone" />
        </div>
      </TestApiProvider>,
    );
    await waitFor(() =>
      expect(paths).toEqual(['/pipelines/default/gone/halt']),
    );
    await act(async () => {}); // let the rejection render
    expect(screen.getByTestId('subject')).toBeEmptyDOMElement();
  });
});
