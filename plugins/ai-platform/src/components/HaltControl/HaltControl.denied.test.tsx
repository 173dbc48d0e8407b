import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { aiPlatformPipelineHaltPermission } from '@aiplatform/plugin-ai-platform-common';
import { aiPlatformApiRef } from '../../api/AiPlatformApi';
import { mockAiPlatformApi } from '../../testUtils';
import { HaltControl } from './HaltControl';

// Its own file: usePermission caches the answer per permission per module.

describe('HaltControl without the halt permission', () => {
  it('is disabled and says which permission is missing', async () => {
    const api = mockAiPlatformApi();
    const permissionApi = mockApis.permission.mock({
      authorize: jest.fn().mockResolvedValue({ result: 'DENY' }),
    });
    renderInTestApp(
      <TestApiProvider
        apis={[
          [aiPlatformApiRef, api],
          [permissionApiRef, permissionApi],
        ]}
      >
        <HaltControl
          namespace="default"
          name="support-rag"
          halt={{ halted: false, reason: null, by: null, at: null }}
          onChange={jest.fn()}
        />
      </TestApiProvider>,
    );

    await waitFor(() =>
      expect(permissionApi.authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: aiPlatformPipelineHaltPermission,
        }),
      ),
    );
    const button = screen.getByRole('button', { name: 'Halt' });
    expect(button).toBeDisabled();

    await userEvent.hover(screen.getByTestId('halt-control'));
    expect(
      await screen.findByRole('tooltip', {
        name: 'You need the ai-platform.pipeline.halt permission',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(api.haltPipeline).not.toHaveBeenCalled();
  });

  it('offers no retry of a failed enforcement', async () => {
    const api = mockAiPlatformApi();
    const permissionApi = mockApis.permission.mock({
      authorize: jest.fn().mockResolvedValue({ result: 'DENY' }),
    });
    renderInTestApp(
      <TestApiProvider
        apis={[
          [aiPlatformApiRef, api],
          [permissionApiRef, permissionApi],
        ]}
      >
        <HaltControl
          namespace="default"
          name="support-rag"
          halt={{
            halted: true,
            reason: 'stale index',
            by: 'user:default/alice',
            at: '2025-03-01T10:00:00.000Z',
            enforcement: [
              {
                enforcer: 'webhook',
                target: 'https://pager.example',
                status: 'failed',
                message: '502 Bad Gateway',
              },
            ],
          }}
          onChange={jest.fn()}
        />
      </TestApiProvider>,
    );

    // The answer (DENY, cached by usePermission for this module) is in once
    // the tooltip says which permission is missing.
    await userEvent.hover(screen.getByTestId('halt-control'));
    expect(
      await screen.findByRole('tooltip', {
        name: 'You need the ai-platform.pipeline.halt permission',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Resume' })).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: 'Retry enforcement' }),
    ).not.toBeInTheDocument();
    expect(api.retryHaltEnforcement).not.toHaveBeenCalled();
  });
});
