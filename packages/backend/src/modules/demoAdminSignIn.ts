/*
 * Demo portal only: a second guest-like sign-in, as the demo's platform
 * admin (auth.providers.demo-admin.userEntityRef, Alice), so that the
 * governance flows (halt, resume, notifications) can be tried and tested in
 * a browser without editing config. Like Backstage's guest provider it works
 * only in development (NODE_ENV=development, as `yarn start` runs).
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';
import { NotAllowedError } from '@backstage/errors';

const demoAdminAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate() {
    if (process.env.NODE_ENV !== 'development') {
      throw new NotAllowedError(
        'The demo-admin sign-in works only in development',
      );
    }
    return { result: {} };
  },
});

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'demo-admin-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const userEntityRef = config.getString(
          'auth.providers.demo-admin.userEntityRef',
        );
        providers.registerProvider({
          providerId: 'demo-admin',
          factory: createProxyAuthProviderFactory({
            authenticator: demoAdminAuthenticator,
            signInResolver: async (_, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
          }),
        });
      },
    });
  },
});
