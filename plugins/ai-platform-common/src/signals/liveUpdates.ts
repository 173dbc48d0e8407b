/**
 * The Backstage signals channel on which the backend announces that
 * pipelines changed (halted, resumed, an SLO breached or recovered), so that
 * open pages fetch again. Broadcast to every signed-in page: the message
 * names no pipeline, since a page refetches what its viewer may see.
 *
 * @public
 */
export const AI_PLATFORM_PIPELINES_CHANNEL = 'ai-platform:pipelines';

/**
 * A message on {@link AI_PLATFORM_PIPELINES_CHANNEL}.
 *
 * @public
 */
export type AiPlatformPipelinesSignal = {
  /** What changed: a halt or resume, or an SLO's status. */
  type: 'halt' | 'slo';
  /** When, ISO 8601: every message differs, so a page sees each one. */
  at: string;
};
