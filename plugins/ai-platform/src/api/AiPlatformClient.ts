import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  OwnedStageList,
  OwnershipReport,
  PipelineList,
  PipelineOwnership,
} from '@aiplatform/plugin-ai-platform-common';
import { AiPlatformApi } from './AiPlatformApi';

/** Talks to `/api/ai-platform` with the user's credentials. */
export class AiPlatformClient implements AiPlatformApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  listPipelines(): Promise<PipelineList> {
    return this.get('/pipelines');
  }

  getPipelineOwnership(
    namespace: string,
    name: string,
  ): Promise<PipelineOwnership> {
    return this.get(
      `/pipelines/${encodeURIComponent(namespace)}/${encodeURIComponent(
        name,
      )}/ownership`,
    );
  }

  getOwnershipReport(owner?: string): Promise<OwnershipReport> {
    return this.get(
      owner
        ? `/ownership/report?owner=${encodeURIComponent(owner)}`
        : '/ownership/report',
    );
  }

  getOwnedStages(owner: string): Promise<OwnedStageList> {
    return this.get(`/stages?owner=${encodeURIComponent(owner)}`);
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('ai-platform');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
