import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  AI_PLATFORM_PIPELINES_CHANNEL,
  AiPlatformPipelinesSignal,
} from '@aiplatform/plugin-ai-platform-common';

/**
 * Tells open pages that pipelines changed, through Backstage signals, so
 * the pipelines table and the dashboards fetch again without a reload. The
 * message names no pipeline: each page refetches what its viewer may see.
 * Never throws.
 */
export class LiveUpdates {
  constructor(
    private readonly options: {
      signals: SignalsService;
      logger: LoggerService;
    },
  ) {}

  async publish(type: AiPlatformPipelinesSignal['type']): Promise<void> {
    try {
      await this.options.signals.publish<AiPlatformPipelinesSignal>({
        recipients: { type: 'broadcast' },
        channel: AI_PLATFORM_PIPELINES_CHANNEL,
        message: { type, at: new Date().toISOString() },
      });
    } catch (error) {
      this.options.logger.warn(`Could not publish a ${type} signal: ${error}`);
    }
  }
}
