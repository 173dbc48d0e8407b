import { useApi } from '@backstage/core-plugin-api';
import { ScaffolderOptionsResponse } from '@aiplatform/plugin-ai-platform-common';
import useAsync from 'react-use/esm/useAsync';
import { aiPlatformApiRef } from '../api/AiPlatformApi';

/** The form field that holds the owner when `ui:options.ownerField` is not set. */
export const DEFAULT_OWNER_FIELD = 'owner';

/**
 * The owner ref chosen in another field of the scaffolder form: the value
 * of `ownerField` (a property name, or a dotted path into an object field)
 * in the whole form's data, which the scaffolder passes as
 * `formContext.formData`. Undefined until a non-empty string is chosen.
 */
export function ownerFromFormContext(
  formContext: unknown,
  ownerField: string = DEFAULT_OWNER_FIELD,
): string | undefined {
  let value: unknown = (formContext as { formData?: unknown } | undefined)
    ?.formData;
  for (const key of ownerField.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

/** The props of a field component this module reads the owner from. */
interface FieldContextProps {
  formContext?: unknown;
  registry?: { formContext?: unknown };
  uiSchema?: { 'ui:options'?: { ownerField?: string } };
}

/** The owner a scaffolder field's `ui:options.ownerField` points at. */
export function useFieldOwner(props: FieldContextProps): {
  owner?: string;
  ownerField: string;
} {
  const ownerField =
    props.uiSchema?.['ui:options']?.ownerField ?? DEFAULT_OWNER_FIELD;
  const owner = ownerFromFormContext(
    props.formContext ?? props.registry?.formContext,
    ownerField,
  );
  return { owner, ownerField };
}

/**
 * `GET /scaffolder/options` for `owner`; nothing until an owner is given.
 * `value` is only the current owner's: undefined while a new owner loads.
 */
export function useScaffolderOptions(owner: string | undefined): {
  value?: ScaffolderOptionsResponse;
  loading: boolean;
  error?: Error;
} {
  const api = useApi(aiPlatformApiRef);
  const { value, loading, error } = useAsync(
    async () => (owner ? api.getScaffolderOptions(owner) : undefined),
    [api, owner],
  );
  return {
    value: loading || error ? undefined : value,
    loading: Boolean(owner) && loading,
    error: loading ? undefined : error,
  };
}

/** "1 GPU", "8 GPUs". */
export function gpuCount(n: number): string {
  return `${n} GPU${n === 1 ? '' : 's'}`;
}
