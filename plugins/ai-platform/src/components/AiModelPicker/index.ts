export { AiModelPicker, AiModelPickerFieldSchema } from './AiModelPicker';
export type {
  AiModelPickerProps,
  AiModelPickerUiOptions,
} from './AiModelPicker';
