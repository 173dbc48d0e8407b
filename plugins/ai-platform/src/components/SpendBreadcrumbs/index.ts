export { SpendBreadcrumbs } from './SpendBreadcrumbs';
export type { SpendBreadcrumbsProps, SpendCrumb } from './SpendBreadcrumbs';
