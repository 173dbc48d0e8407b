import {
  AI_PLATFORM_PIPELINES_CHANNEL,
  AiPlatformPipelinesSignal,
} from '@aiplatform/plugin-ai-platform-common';
import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useState } from 'react';

/**
 * How many messages arrived on the AI Platform's pipelines signal channel
 * (a halt, a resume, an SLO status change) since the page mounted. Put it in
 * the dependency list of a fetch so that it runs again on each one. Stays 0
 * when the app has no signals API: the page then fetches as before.
 */
export function usePipelinesSignal(): number {
  const { lastSignal } = useSignal<AiPlatformPipelinesSignal>(
    AI_PLATFORM_PIPELINES_CHANNEL,
  );
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (lastSignal) setCount(previous => previous + 1);
  }, [lastSignal]);
  return count;
}
