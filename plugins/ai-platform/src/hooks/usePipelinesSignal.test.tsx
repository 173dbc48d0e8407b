import { act, renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/frontend-test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { AI_PLATFORM_PIPELINES_CHANNEL } from '@aiplatform/plugin-ai-platform-common';
import { ReactNode } from 'react';
import { mockSignalApi } from '../testUtils';
import { usePipelinesSignal } from './usePipelinesSignal';

describe('usePipelinesSignal', () => {
  it('counts the messages on the pipelines channel, and only those', () => {
    const signals = mockSignalApi();
    const { result, unmount } = renderHook(() => usePipelinesSignal(), {
      wrapper: ({ children }: { children?: ReactNode }) => (
        <TestApiProvider apis={[[signalApiRef, signals.api]]}>
          {children}
        </TestApiProvider>
      ),
    });
    expect(result.current).toBe(0);
    expect(signals.subscriberCount(AI_PLATFORM_PIPELINES_CHANNEL)).toBe(1);

    act(() => signals.emit({ type: 'halt', at: '2026-12-01T10:00:00.000Z' }));
    expect(result.current).toBe(1);
    // Equal messages count too: each is a change.
    act(() => signals.emit({ type: 'slo', at: '2026-12-01T10:00:00.000Z' }));
    act(() => signals.emit({ type: 'slo', at: '2026-12-01T10:00:00.000Z' }));
    expect(result.current).toBe(3);

    act(() =>
      signals.emit(
        { type: 'halt', at: '2026-12-01T10:01:00.000Z' },
        'some-other:channel',
      ),
    );
    expect(result.current).toBe(3);

    unmount();
    expect(signals.subscriberCount(AI_PLATFORM_PIPELINES_CHANNEL)).toBe(0);
  });

  it('stays 0 without a signal API', () => {
    const { result } = renderHook(() => usePipelinesSignal(), {
      wrapper: ({ children }: { children?: ReactNode }) => (
        <TestApiProvider apis={[]}>{children}</TestApiProvider>
      ),
    });
    expect(result.current).toBe(0);
  });
});
