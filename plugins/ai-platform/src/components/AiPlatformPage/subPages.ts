/**
 * The sub-pages of the AI Platform page, in tab order: the path of each
 * below the page (`/ai-platform/pipelines`, ...) and its tab title. The
 * page itself redirects to the first. Both frontend systems build their
 * routes from this list.
 */
export const AI_PLATFORM_SUB_PAGES = [
  { path: 'pipelines', title: 'Pipelines' },
  { path: 'ownership', title: 'Ownership report' },
  { path: 'audit', title: 'Audit' },
  { path: 'spend', title: 'Spend' },
] as const;

/** The path of a sub-page of the AI Platform page. */
export type AiPlatformSubPagePath =
  (typeof AI_PLATFORM_SUB_PAGES)[number]['path'];
