import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  AiModelPicker,
  AiModelPickerFieldSchema,
} from './components/AiModelPicker';
import {
  GpuFlavorPicker,
  GpuFlavorPickerFieldSchema,
} from './components/GpuFlavorPicker';

/** The `AiModelPicker` form field (new frontend system), loaded lazily. */
export const aiModelPickerField = createFormField({
  name: 'AiModelPicker',
  component: AiModelPicker,
  schema: AiModelPickerFieldSchema,
});

/** The `GpuFlavorPicker` form field (new frontend system), loaded lazily. */
export const gpuFlavorPickerField = createFormField({
  name: 'GpuFlavorPicker',
  component: GpuFlavorPicker,
  schema: GpuFlavorPickerFieldSchema,
});
