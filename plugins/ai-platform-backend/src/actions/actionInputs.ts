import { InputError } from '@backstage/errors';
import { LoggerService } from '@backstage/backend-plugin-api';
import { normalizeRef } from '@aiplatform/plugin-ai-platform-node';
import { toPublicError } from '../shared/http/publicErrors';

/**
 * The `pipeline` input as the routes' path gives it:
 * `aipipeline:<namespace>/<name>`, lowercased; a 400 naming the input
 * otherwise.
 */
export function pipelineRefFromInput(value: string): string {
  let ref: string;
  try {
    ref = normalizeRef(value.trim(), { defaultKind: 'aipipeline' });
  } catch (e) {
    throw new InputError(
      `Invalid input pipeline: "${value}" is not an entity ref (${
        (e as Error).message
      })`,
    );
  }
  if (!ref.startsWith('aipipeline:')) {
    throw new InputError(
      `Invalid input pipeline: "${value}" must be an AIPipeline, e.g. aipipeline:default/kb-answers`,
    );
  }
  return ref;
}

/**
 * Runs an action's body; its errors reach the agent as the routes' do:
 * those written for the caller (403, 404, 400) as they are, anything else
 * logged with an id and answered without its message.
 */
export async function answer<T>(
  logger: LoggerService,
  body: () => Promise<T>,
): Promise<{ output: T }> {
  try {
    return { output: await body() };
  } catch (error) {
    throw toPublicError(error, logger);
  }
}

/**
 * An action's description followed by its examples' inputs, for agents
 * that see only the description (MCP tools carry no examples).
 */
export function describeWithExamples(
  description: string,
  examples: Array<{ title: string; input: object }>,
): string {
  return [
    description.trim(),
    '',
    'Examples:',
    ...examples.map(e => `- ${e.title}: ${JSON.stringify(e.input)}`),
  ].join('\n');
}
