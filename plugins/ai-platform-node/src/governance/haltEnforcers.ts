import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { AIPipelineEntityV1alpha1 } from '@aiplatform/plugin-ai-platform-common';

/**
 * What became of one target of an enforcer: `applied` (it is halted, or on
 * resume restored), `failed` (it could not be; the backend retries a halt's
 * failures), `pending` (asked, not yet confirmed; retried like a failure).
 *
 * @public
 */
export type EnforcementStatus = 'applied' | 'failed' | 'pending';

/**
 * One target an enforcer acted on, e.g. a LiteLLM virtual key or a webhook.
 *
 * @public
 */
export interface EnforcementResult {
  /** The `id` of the enforcer that produced it. */
  enforcer: string;
  /**
   * What was acted on, for people: `key:<alias>`, `team:<alias>`, a URL. A
   * `<noun>:` prefix is counted by the UI ("LiteLLM (3 keys)").
   */
  target: string;
  status: EnforcementStatus;
  /** What happened, e.g. `blocked` or `502 Bad Gateway`. */
  message: string;
  /**
   * What the enforcer's `resume` needs to restore exactly what it changed
   * (for example a previous replica count, or that a key was blocked by
   * this halt). Stored with the result, never shown to users.
   */
  undo?: JsonObject;
}

/**
 * What an enforcer is told about a halt or a resume.
 *
 * @public
 */
export interface HaltEnforcementContext {
  /** The pipeline halted or resumed. */
  pipeline: AIPipelineEntityV1alpha1;
  /** Full refs of the pipeline and of its stages' entities, lowercase. */
  entityRefs: string[];
  /** The stages' entities found in the catalog (`spec.stages[].entityRef`). */
  stages: Entity[];
  /** Why, as the person or service said it. */
  reason: string;
  /** Entity ref (user) or subject (service) of who halts or resumes. */
  actor: string;
  /** When, ISO 8601. */
  at: string;
  /**
   * On a retry of a halt (or a halt of a pipeline already halted): this
   * enforcer's results of the previous attempt, so that it keeps what it
   * already did (and its `undo`) instead of doing it again.
   */
  previous?: EnforcementResult[];
}

/**
 * Makes a halt take effect outside the portal (block gateway keys, scale
 * workloads to zero, call a webhook) and undoes it on resume. An enforcer
 * never throws for a target it could not act on: it returns a `failed`
 * result for it. A throw is recorded as one failed result.
 *
 * @public
 */
export interface HaltEnforcer {
  /** Stable id, recorded with every result, e.g. `litellm`. */
  id: string;
  /** Whether it acts on this pipeline at all. Default: always. */
  appliesTo?(ctx: HaltEnforcementContext): Promise<boolean> | boolean;
  /** Halts what serves the pipeline; one result per target. */
  halt(ctx: HaltEnforcementContext): Promise<EnforcementResult[]>;
  /**
   * Undoes the halt, given this enforcer's results of it (with their
   * `undo`): restores exactly what the halt changed and nothing else.
   */
  resume(
    ctx: HaltEnforcementContext,
    previous: EnforcementResult[],
  ): Promise<EnforcementResult[]>;
}

/**
 * The extension point of the AI Platform backend that takes halt enforcers.
 *
 * @public
 */
export interface AiPlatformHaltEnforcersExtensionPoint {
  /** Adds an enforcer; its `id` must be unique among them. */
  addHaltEnforcer(enforcer: HaltEnforcer): void;
}

/**
 * Adds {@link HaltEnforcer}s to the AI Platform backend from a backend
 * module:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'ai-platform',
 *   moduleId: 'my-enforcer',
 *   register(env) {
 *     env.registerInit({
 *       deps: { enforcers: aiPlatformHaltEnforcersExtensionPoint },
 *       async init({ enforcers }) {
 *         enforcers.addHaltEnforcer(myEnforcer);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const aiPlatformHaltEnforcersExtensionPoint =
  createExtensionPoint<AiPlatformHaltEnforcersExtensionPoint>({
    id: 'ai-platform.halt-enforcers',
  });
