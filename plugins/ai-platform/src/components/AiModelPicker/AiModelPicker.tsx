import { useEffect } from 'react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import Autocomplete from '@mui/material/Autocomplete';
import CircularProgress from '@mui/material/CircularProgress';
import TextField from '@mui/material/TextField';
import {
  useFieldOwner,
  useScaffolderOptions,
} from '../../lib/scaffolderOptions';

/**
 * The schema of the `AiModelPicker` field: the models an owner may use
 * through the LLM gateway, one (`string`) or several (`string[]`).
 *
 * @public
 */
export const AiModelPickerFieldSchema = makeFieldSchema({
  output: z => z.union([z.array(z.string()), z.string()]),
  uiOptions: z =>
    z.object({
      multiple: z
        .boolean()
        .optional()
        .describe(
          'Pick several models (an array, the default) or one (a string). Defaults to false when the field is of type string',
        ),
      ownerField: z
        .string()
        .optional()
        .describe(
          'The form field holding the owner ref whose models are offered. Defaults to owner',
        ),
    }),
});

/**
 * The `ui:options` of the `AiModelPicker` field.
 *
 * @public
 */
export type AiModelPickerUiOptions =
  typeof AiModelPickerFieldSchema.uiOptionsType;

/**
 * The props of the `AiModelPicker` field.
 *
 * @public
 */
export type AiModelPickerProps = typeof AiModelPickerFieldSchema.TProps;

/**
 * A scaffolder field offering only the models the owner chosen in another
 * field may use (`GET /scaffolder/options`). Models the owner may not use
 * are dropped from the value when the owner changes.
 *
 * @public
 */
export function AiModelPicker(props: AiModelPickerProps) {
  const {
    onChange,
    formData,
    schema: { title = 'Models', description, type } = {},
    uiSchema,
    idSchema,
    rawErrors,
    errors,
    required,
    disabled,
  } = props;
  const multiple = uiSchema?.['ui:options']?.multiple ?? type !== 'string';
  const { owner, ownerField } = useFieldOwner(props);
  const { value: options, loading, error } = useScaffolderOptions(owner);
  const models = options?.models;

  // Keep only what the current owner may use.
  useEffect(() => {
    if (!models) return;
    const allowed = new Set(models);
    if (multiple) {
      const current = Array.isArray(formData) ? formData : [];
      const kept = current.filter(
        (m): m is string => typeof m === 'string' && allowed.has(m),
      );
      if (kept.length !== current.length) onChange(kept);
    } else if (typeof formData === 'string' && !allowed.has(formData)) {
      onChange(undefined);
    }
  }, [models, formData, multiple, onChange]);

  let status: string | undefined;
  if (!owner) {
    status = `Choose the owner (${ownerField}) first: the models offered depend on it.`;
  } else if (loading) {
    status = `Loading the models ${owner} may use…`;
  } else if (error) {
    status = `Could not load the models ${owner} may use: ${error.message}`;
  } else if (models && models.length === 0) {
    status = `${options!.owner} may use no model through the gateway.`;
  }

  // The form fills an array up to minItems with undefined: keep strings only.
  const selected = multiple
    ? (Array.isArray(formData) ? formData : []).filter(
        (m): m is string =>
          typeof m === 'string' && (!models || models.includes(m)),
      )
    : (typeof formData === 'string' &&
        (!models || models.includes(formData)) &&
        formData) ||
      null;

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? description}
      required={required}
      disabled={disabled}
      errors={errors}
    >
      <Autocomplete<string, boolean, false, false>
        id={idSchema?.$id}
        multiple={multiple}
        options={models ?? []}
        getOptionLabel={option => option}
        value={selected}
        loading={loading}
        disabled={disabled || !owner || loading || !models?.length}
        filterSelectedOptions={multiple}
        onChange={(_event, value) =>
          onChange(
            multiple
              ? (value as string[])
              : (value as string | null) ?? undefined,
          )
        }
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            required={required}
            margin="dense"
            variant="outlined"
            error={Boolean(error) || Boolean(rawErrors?.length)}
            helperText={status}
            InputProps={{
              ...params.InputProps,
              // Chips are no input value: only require one when none is chosen.
              required:
                required && (multiple ? !(selected as string[]).length : true),
              endAdornment: (
                <>
                  {loading && <CircularProgress color="inherit" size={20} />}
                  {params.InputProps.endAdornment}
                </>
              ),
            }}
          />
        )}
      />
    </ScaffolderField>
  );
}
