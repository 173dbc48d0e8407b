export { GpuFlavorPicker, GpuFlavorPickerFieldSchema } from './GpuFlavorPicker';
export type {
  GpuFlavorPickerProps,
  GpuFlavorPickerUiOptions,
} from './GpuFlavorPicker';
