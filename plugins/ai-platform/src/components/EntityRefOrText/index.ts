export { EntityRefOrText } from './EntityRefOrText';
export type { EntityRefOrTextProps } from './EntityRefOrText';
