export { AiPlatformContent, AiPlatformPage } from './AiPlatformPage';
