import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  AuditEvent,
  HaltState,
  aiPlatformPipelineHaltPermission,
} from '@aiplatform/plugin-ai-platform-common';
import { GovernanceStore } from '../database/GovernanceStore';
import { getPipelineOrThrow } from './catalogPipelines';

const MAX_REASON_LENGTH = 2_000;

/** The entity ref (user) or subject (service) behind credentials. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return principal.type;
}

/** Halting and resuming pipelines, behind a permission, audited. */
export class GovernanceService {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      permissions: PermissionsService;
      store: GovernanceStore;
    },
  ) {}

  getHalt(pipelineRef: string): Promise<HaltState> {
    return this.options.store.getHalt(pipelineRef);
  }

  async setHalted(
    pipelineRef: string,
    halted: boolean,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<HaltState> {
    const [decision] = await this.options.permissions.authorize(
      [{ permission: aiPlatformPipelineHaltPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You need the ${aiPlatformPipelineHaltPermission.name} permission to ${
          halted ? 'halt' : 'resume'
        } a pipeline`,
      );
    }
    const reason = (body as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new InputError('reason: say why, e.g. "accuracy below threshold"');
    }
    if (reason.length > MAX_REASON_LENGTH) {
      throw new InputError(
        `reason: at most ${MAX_REASON_LENGTH} characters, got ${reason.length}`,
      );
    }
    await getPipelineOrThrow(this.options.catalog, pipelineRef, credentials);
    const actor = actorOf(credentials);
    return this.options.store.setHalt(
      pipelineRef,
      { halted, reason: reason.trim(), actor, at: Date.now() },
      {
        type: halted ? 'pipeline.halted' : 'pipeline.resumed',
        entityRef: pipelineRef,
        actor,
        message: `${actor} ${
          halted ? 'halted' : 'resumed'
        } ${pipelineRef}: ${reason.trim()}`,
      },
    );
  }

  listAudit(query: {
    entityRef?: string;
    limit: number;
  }): Promise<AuditEvent[]> {
    return this.options.store.listAuditEvents(query);
  }
}
