export { AiPlatformPage } from './AiPlatformPage';
export { AI_PLATFORM_SUB_PAGES } from './subPages';
export type { AiPlatformSubPagePath } from './subPages';
