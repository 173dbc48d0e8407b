export { HealthBanner } from './HealthBanner';
export type { HealthBannerProps } from './HealthBanner';
