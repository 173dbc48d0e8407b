import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import { HaltState } from '@aiplatform/plugin-ai-platform-common';
import { useState } from 'react';
import { AiPlatformApi, aiPlatformApiRef } from '../../api/AiPlatformApi';
import { mockAiPlatformApi } from '../../testUtils';
import { HaltControl } from './HaltControl';

// This file grants the halt permission and HaltControl.denied.test.tsx denies
// it: usePermission caches its answer per permission for the whole module.

const running: HaltState = { halted: false, reason: null, by: null, at: null };
const halted: HaltState = {
  halted: true,
  reason: 'stale index',
  by: 'user:default/jane',
  at: '2025-03-01T10:00:00.000Z',
};

/** Holds the halt state the way the dashboard does. */
function Harness(props: { initial: HaltState; onChange?: jest.Mock }) {
  const [halt, setHalt] = useState(props.initial);
  return (
    <HaltControl
      namespace="ml"
      name="support-rag"
      halt={halt}
      onChange={next => {
        props.onChange?.(next);
        setHalt(next);
      }}
    />
  );
}

function renderControl(api: AiPlatformApi, initial: HaltState = running) {
  const onChange = jest.fn();
  renderInTestApp(
    <TestApiProvider
      apis={[
        [aiPlatformApiRef, api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <Harness initial={initial} onChange={onChange} />
    </TestApiProvider>,
  );
  return { onChange };
}

/**
 * The button named `name` once it is enabled: until the permission is
 * known, a disabled one (with the reason) stands in its place.
 */
const enabledButton = (name: string) =>
  waitFor(() => {
    const button = screen.getByRole('button', { name });
    expect(button).toBeEnabled();
    return button;
  });

// Typing into the dialog is slow on a loaded 2-core CI machine.
jest.setTimeout(30_000);

describe('HaltControl with the halt permission', () => {
  it('asks for a reason, halts the pipeline and then offers to resume it', async () => {
    const api = mockAiPlatformApi({
      haltPipeline: jest.fn().mockResolvedValue(halted),
    });
    const { onChange } = renderControl(api);

    const halt = await enabledButton('Halt');
    await userEvent.click(halt);

    const dialog = await screen.findByRole('dialog', {
      name: 'Halt support-rag?',
    });
    const confirm = within(dialog).getByRole('button', { name: 'Halt' });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(reason).toBeRequired();
    expect(confirm).toBeDisabled();
    expect(within(dialog).getByText('A reason is required.')).toBeVisible();

    await userEvent.type(reason, '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(reason, 'stale index ');
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.haltPipeline).toHaveBeenCalledTimes(1);
    expect(api.haltPipeline).toHaveBeenCalledWith(
      'ml',
      'support-rag',
      'stale index',
    );
    expect(api.resumePipeline).not.toHaveBeenCalled();
    expect(onChange).toHaveBeenCalledWith(halted);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled();
    expect(
      screen.queryByRole('button', { name: 'Halt' }),
    ).not.toBeInTheDocument();
  });

  it('resumes a halted pipeline with a reason', async () => {
    const resumed: HaltState = {
      halted: false,
      reason: 'index rebuilt',
      by: 'user:default/jane',
      at: '2025-03-02T10:00:00.000Z',
    };
    const api = mockAiPlatformApi({
      resumePipeline: jest.fn().mockResolvedValue(resumed),
    });
    renderControl(api, halted);

    const resume = await enabledButton('Resume');
    await userEvent.click(resume);
    const dialog = await screen.findByRole('dialog', {
      name: 'Resume support-rag?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'index rebuilt',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resume' }),
    );

    expect(await screen.findByRole('button', { name: 'Halt' })).toBeEnabled();
    expect(api.resumePipeline).toHaveBeenCalledWith(
      'ml',
      'support-rag',
      'index rebuilt',
    );
    expect(api.haltPipeline).not.toHaveBeenCalled();
  });

  it('says what the enforcers restored after a resume', async () => {
    const resumed: HaltState = {
      halted: false,
      reason: 'index rebuilt',
      by: 'user:default/jane',
      at: '2025-03-02T10:00:00.000Z',
      enforcement: [
        {
          enforcer: 'litellm',
          target: 'key:component:default/kb-api',
          status: 'applied',
          message: 'unblocked',
        },
        {
          enforcer: 'litellm',
          target: 'team:kb-api',
          status: 'applied',
          message: 'unblocked',
        },
        {
          enforcer: 'webhook',
          target: 'http://hooks.local/halt',
          status: 'failed',
          message: '503 Service Unavailable',
        },
      ],
    };
    const api = mockAiPlatformApi({
      resumePipeline: jest.fn().mockResolvedValue(resumed),
    });
    renderControl(api, halted);
    expect(screen.queryByTestId('halt-enforcement')).not.toBeInTheDocument();

    await userEvent.click(await enabledButton('Resume'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Resume support-rag?',
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'ok',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Resume' }),
    );

    expect(await screen.findByTestId('halt-enforcement')).toHaveTextContent(
      'Restored at LiteLLM (1 key, 1 team); webhook failed: 503 Service Unavailable.',
    );
  });

  it('keeps the dialog open with the error when the backend refuses', async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Unauthorized' },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'Content-Type': 'application/json' },
        },
      ),
    );
    const api = mockAiPlatformApi({
      haltPipeline: jest.fn().mockRejectedValue(forbidden),
    });
    const { onChange } = renderControl(api);

    const halt = await enabledButton('Halt');
    await userEvent.click(halt);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'why not',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Halt' }));

    expect(
      await within(dialog).findByText(
        'You are not allowed to do this: Unauthorized',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(onChange).not.toHaveBeenCalled();
  });

  it('does nothing when the dialog is cancelled', async () => {
    const api = mockAiPlatformApi();
    renderControl(api);

    const halt = await enabledButton('Halt');
    await userEvent.click(halt);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'oops',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.haltPipeline).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Halt' })).toBeInTheDocument();
  });

  describe('a halt whose enforcement failed', () => {
    const failed: HaltState = {
      ...halted,
      enforcement: [
        {
          enforcer: 'litellm',
          target: 'http://litellm:4000',
          status: 'applied',
          message: 'blocked 3 keys',
        },
        {
          enforcer: 'webhook',
          target: 'https://pager.example',
          status: 'failed',
          message: '502 Bad Gateway',
        },
      ],
    };
    const enforced: HaltState = {
      ...failed,
      enforcement: [
        failed.enforcement![0],
        { ...failed.enforcement![1], status: 'applied', message: '204' },
      ],
    };

    it('offers to retry it now, and shows the new state', async () => {
      const api = mockAiPlatformApi({
        retryHaltEnforcement: jest.fn().mockResolvedValue(enforced),
      });
      const { onChange } = renderControl(api, failed);

      await userEvent.click(await enabledButton('Retry enforcement'));

      await waitFor(() => expect(onChange).toHaveBeenCalledWith(enforced));
      expect(api.retryHaltEnforcement).toHaveBeenCalledWith(
        'ml',
        'support-rag',
      );
      // everything applied: nothing left to retry
      expect(
        screen.queryByRole('button', { name: 'Retry enforcement' }),
      ).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Resume' })).toBeEnabled();
    });

    it('says why a retry failed and keeps offering it', async () => {
      const api = mockAiPlatformApi({
        retryHaltEnforcement: jest
          .fn()
          .mockRejectedValue(new Error('Pipeline is not halted')),
      });
      const { onChange } = renderControl(api, failed);

      await userEvent.click(await enabledButton('Retry enforcement'));

      expect(await screen.findByRole('alert')).toHaveTextContent(
        'Retry failed: Pipeline is not halted',
      );
      expect(onChange).not.toHaveBeenCalled();
      expect(await enabledButton('Retry enforcement')).toBeInTheDocument();
    });

    it('offers no retry when every enforcer applied', async () => {
      renderControl(mockAiPlatformApi(), enforced);

      expect(await enabledButton('Resume')).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Retry enforcement' }),
      ).not.toBeInTheDocument();
    });
  });
});
