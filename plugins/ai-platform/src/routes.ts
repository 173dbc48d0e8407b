import { createRouteRef } from '@backstage/core-plugin-api';

/** The AI Platform page. */
export const rootRouteRef = createRouteRef({ id: 'ai-platform' });
