import { act, screen, waitFor, within } from '@testing-library/react';
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

/** Sets the harness's halt state from outside, as a live update would. */
let liveUpdate: (next: HaltState) => void = () => {};

/** Holds the halt state the way the dashboard does. */
function Harness(props: { initial: HaltState; onChange?: jest.Mock }) {
  const [halt, setHalt] = useState(props.initial);
  liveUpdate = setHalt;
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

  it('keeps asking what it asked when the halt state changes while the dialog is open', async () => {
    const api = mockAiPlatformApi({
      haltPipeline: jest.fn().mockResolvedValue(halted),
    });
    renderControl(api);
    await userEvent.click(await enabledButton('Halt'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Halt support-rag?',
    });
    // Someone else halted it meanwhile (a live update): still a halt dialog.
    act(() => liveUpdate(halted));
    expect(
      screen.getByRole('dialog', { name: 'Halt support-rag?' }),
    ).toBeVisible();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'drift',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Halt' }));
    await waitFor(() => expect(api.haltPipeline).toHaveBeenCalledTimes(1));
    expect(api.resumePipeline).not.toHaveBeenCalled();
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

  describe('a pipeline its halt policy halted', () => {
    const byPolicy: HaltState = {
      halted: true,
      reason: 'SLO answer-accuracy breached',
      by: 'ai-platform (policy answer-accuracy)',
      at: '2025-03-01T10:00:00.000Z',
      policy: { slo: 'answer-accuracy' },
    };
    const resumed: HaltState = {
      halted: false,
      reason: 'fixed the retriever',
      by: 'user:default/jane',
      at: '2025-03-02T10:00:00.000Z',
    };
    const OVERRIDE =
      'Override: resume although SLO answer-accuracy still fails';

    async function openResume(reason: string) {
      await userEvent.click(await enabledButton('Resume'));
      const dialog = await screen.findByRole('dialog', {
        name: 'Resume support-rag?',
      });
      await userEvent.type(
        within(dialog).getByRole('textbox', { name: /Reason/ }),
        reason,
      );
      return dialog;
    }

    async function conflict(): Promise<ResponseError> {
      return ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message:
                'aipipeline:ml/support-rag stays halted: its policy (spec.governance.haltOn) halted it on SLO answer-accuracy, which is still breached. Resume with override: true to resume it anyway.',
            },
            response: { statusCode: 409 },
          }),
          {
            status: 409,
            statusText: 'Conflict',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
    }

    it('explains that the resume holds only once the SLO recovers, and resumes without override by default', async () => {
      const api = mockAiPlatformApi({
        resumePipeline: jest.fn().mockResolvedValue(resumed),
      });
      renderControl(api, byPolicy);
      const dialog = await openResume('fixed the retriever');

      expect(within(dialog).getByTestId('resume-policy')).toHaveTextContent(
        /halted it on SLO answer-accuracy\. The resume holds only once that SLO no longer fails/,
      );
      const override = within(dialog).getByRole('checkbox', { name: OVERRIDE });
      expect(override).not.toBeChecked();

      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Resume' }),
      );
      expect(await screen.findByRole('button', { name: 'Halt' })).toBeEnabled();
      expect(api.resumePipeline).toHaveBeenCalledTimes(1);
      expect(api.resumePipeline.mock.calls[0]).toEqual([
        'ml',
        'support-rag',
        'fixed the retriever',
      ]);
    });

    it("shows the backend's 409, stays open, and resumes with the override", async () => {
      const api = mockAiPlatformApi({
        resumePipeline: jest
          .fn()
          .mockRejectedValueOnce(await conflict())
          .mockResolvedValue(resumed),
      });
      const { onChange } = renderControl(api, byPolicy);
      const dialog = await openResume('fixed the retriever');
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Resume' }),
      );

      expect(await within(dialog).findByRole('alert')).toHaveTextContent(
        /^aipipeline:ml\/support-rag stays halted: its policy \(spec\.governance\.haltOn\) halted it on SLO answer-accuracy, which is still breached\. Resume with override: true to resume it anyway\.$/,
      );
      expect(screen.getByRole('dialog')).toBeInTheDocument();
      expect(onChange).not.toHaveBeenCalled();

      await userEvent.click(
        within(dialog).getByRole('checkbox', { name: OVERRIDE }),
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Resume' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(api.resumePipeline).toHaveBeenCalledTimes(2);
      expect(api.resumePipeline.mock.calls[1]).toEqual([
        'ml',
        'support-rag',
        'fixed the retriever',
        { override: true },
      ]);
      expect(onChange).toHaveBeenCalledWith(resumed);
      expect(screen.getByRole('button', { name: 'Halt' })).toBeInTheDocument();
    });

    it('offers the override after a 409 even when the halt it knew named no policy', async () => {
      const api = mockAiPlatformApi({
        resumePipeline: jest.fn().mockRejectedValue(await conflict()),
      });
      renderControl(api, halted);
      const dialog = await openResume('ok now');
      expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Resume' }),
      );
      expect(
        await within(dialog).findByRole('checkbox', {
          name: 'Override: resume although its SLO still fails',
        }),
      ).not.toBeChecked();
    });

    it('offers no override to a halt by a person, nor to a halt', async () => {
      const api = mockAiPlatformApi({
        resumePipeline: jest.fn().mockResolvedValue(resumed),
      });
      renderControl(api, halted);
      const dialog = await openResume('index rebuilt');
      expect(within(dialog).queryByRole('checkbox')).not.toBeInTheDocument();
      expect(
        within(dialog).queryByTestId('resume-policy'),
      ).not.toBeInTheDocument();
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Resume' }),
      );
      // Resumed: now a halt is offered, and its dialog has no override either.
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      await userEvent.click(await enabledButton('Halt'));
      const haltDialog = await screen.findByRole('dialog', {
        name: 'Halt support-rag?',
      });
      expect(
        within(haltDialog).queryByRole('checkbox'),
      ).not.toBeInTheDocument();
    });
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
