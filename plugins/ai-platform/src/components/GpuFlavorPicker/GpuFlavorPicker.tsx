import { useEffect } from 'react';
import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import { ScaffolderOptionsResponse } from '@aiplatform/plugin-ai-platform-common';
import CircularProgress from '@mui/material/CircularProgress';
import InputAdornment from '@mui/material/InputAdornment';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  gpuCount,
  useFieldOwner,
  useScaffolderOptions,
} from '../../lib/scaffolderOptions';

/**
 * The schema of the `GpuFlavorPicker` field: the name of a GPU flavor.
 *
 * @public
 */
export const GpuFlavorPickerFieldSchema = makeFieldSchema({
  output: z => z.string(),
  uiOptions: z =>
    z.object({
      ownerField: z
        .string()
        .optional()
        .describe(
          'The form field holding the owner ref whose GPU quota is shown. Defaults to owner',
        ),
    }),
});

/**
 * The `ui:options` of the `GpuFlavorPicker` field.
 *
 * @public
 */
export type GpuFlavorPickerUiOptions =
  typeof GpuFlavorPickerFieldSchema.uiOptionsType;

/**
 * The props of the `GpuFlavorPicker` field.
 *
 * @public
 */
export type GpuFlavorPickerProps = typeof GpuFlavorPickerFieldSchema.TProps;

type Flavor = ScaffolderOptionsResponse['gpu']['flavors'][number];

/** "nvidia.com/gpu · NVIDIA-A100-SXM4-80GB · 81920 MiB". */
export function describeFlavor(flavor: Flavor): string {
  return [
    flavor.resource,
    flavor.product,
    flavor.memory && `${flavor.memory} MiB`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A scaffolder field for the GPU flavor of a workload (`aiPlatform.gpu.flavors`),
 * showing the GPU quota and current use of the owner chosen in another field.
 *
 * @public
 */
export function GpuFlavorPicker(props: GpuFlavorPickerProps) {
  const {
    onChange,
    formData,
    schema: { title = 'GPU flavor', description } = {},
    uiSchema,
    idSchema,
    rawErrors,
    errors,
    required,
    disabled,
  } = props;
  const { owner, ownerField } = useFieldOwner(props);
  const { value: options, loading, error } = useScaffolderOptions(owner);
  const flavors = options?.gpu.flavors;
  const known = Boolean(
    formData && flavors?.some(flavor => flavor.name === formData),
  );

  // A flavor that is no longer configured is no choice.
  useEffect(() => {
    if (flavors && formData && !known) onChange(undefined);
  }, [flavors, formData, known, onChange]);

  let status: string | undefined;
  if (!owner) {
    status = `Choose the owner (${ownerField}) first: the GPU quota depends on it.`;
  } else if (loading) {
    status = `Loading the GPU flavors and the quota of ${owner}…`;
  } else if (error) {
    status = `Could not load the GPU flavors and quota of ${owner}: ${error.message}`;
  } else if (flavors && flavors.length === 0) {
    status = 'No GPU flavor is configured (aiPlatform.gpu.flavors).';
  }

  const gpu = options?.gpu;
  const left = gpu ? gpu.quota - gpu.currentUse : 0;

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema?.['ui:description'] ?? description}
      required={required}
      disabled={disabled}
      errors={errors}
    >
      <TextField
        select
        id={idSchema?.$id}
        label={title}
        required={required}
        margin="dense"
        variant="outlined"
        value={known ? formData : ''}
        disabled={disabled || !owner || loading || !flavors?.length}
        error={Boolean(error) || Boolean(rawErrors?.length)}
        helperText={status}
        onChange={event => onChange(event.target.value || undefined)}
        SelectProps={{ renderValue: value => String(value) }}
        InputProps={{
          endAdornment: loading ? (
            <InputAdornment position="end" sx={{ mr: 3 }}>
              <CircularProgress color="inherit" size={20} />
            </InputAdornment>
          ) : undefined,
        }}
      >
        {(flavors ?? []).map(flavor => (
          <MenuItem key={flavor.name} value={flavor.name}>
            <ListItemText
              primary={flavor.name}
              secondary={describeFlavor(flavor)}
            />
          </MenuItem>
        ))}
      </TextField>
      {gpu && (
        <Typography
          variant="body2"
          color={left > 0 ? 'text.secondary' : 'error'}
          data-testid="gpu-quota"
        >
          {`Quota ${gpuCount(gpu.quota)}, ${gpu.currentUse} in use${
            left > 0 ? '' : ' (none left)'
          }`}
        </Typography>
      )}
    </ScaffolderField>
  );
}
