import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { aiPlatformScaffolderFieldsModule } from '@aiplatform/plugin-ai-platform/alpha';
import { navModule } from './modules/nav';
import { homeModule } from './modules/home';

export default createApp({
  // The AI Platform plugin and the scaffolder are discovered (app.packages:
  // all); discovery only finds default exports, so the scaffolder fields
  // module is listed here.
  features: [
    catalogPlugin,
    navModule,
    homeModule,
    aiPlatformScaffolderFieldsModule,
  ],
});
