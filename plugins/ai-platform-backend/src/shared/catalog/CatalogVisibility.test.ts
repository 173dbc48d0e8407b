import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { orgFixture } from '../../__testUtils__/orgFixture';
import {
  hidingCatalog,
  hidingPermissions,
} from '../../__testUtils__/hidingCatalog';
import { CatalogVisibility, onlyVisible } from './CatalogVisibility';

const BOB = 'user:default/bob';
const SEARCH = 'aipipeline:default/search-rag';

describe('CatalogVisibility', () => {
  it('sees everything without reading the catalog when catalog.entity.read is allowed outright', async () => {
    const catalog = catalogServiceMock.mock();
    const visibility = new CatalogVisibility({
      catalog,
      permissions: mockServices.permissions({ result: AuthorizeResult.ALLOW }),
    });
    await expect(visibility.pipelines(mockCredentials.user(BOB))).resolves.toBe(
      'all',
    );
    expect(catalog.queryEntities).not.toHaveBeenCalled();
    expect(catalog.getEntities).not.toHaveBeenCalled();
  });

  it('sees nothing when it is denied', async () => {
    const visibility = new CatalogVisibility({
      catalog: catalogServiceMock({ entities: orgFixture() }),
      permissions: mockServices.permissions({ result: AuthorizeResult.DENY }),
    });
    const visible = await visibility.pipelines(mockCredentials.user(BOB));
    expect(visible).toEqual(new Set());
    expect(onlyVisible([{ ref: SEARCH }], visible)).toEqual([]);
  });

  it('asks the catalog which pipelines the caller sees when the decision is conditional', async () => {
    const visibility = new CatalogVisibility({
      catalog: hidingCatalog({
        entities: orgFixture(),
        userRef: BOB,
        hidden: [SEARCH],
      }),
      permissions: hidingPermissions(BOB),
    });
    const visible = await visibility.pipelines(mockCredentials.user(BOB));
    expect(visible).toEqual(
      new Set([
        'aipipeline:default/churn-train',
        'aipipeline:default/web-assistant',
      ]),
    );
    expect(
      onlyVisible(
        [{ ref: SEARCH }, { ref: 'aipipeline:default/churn-train' }],
        visible,
      ),
    ).toEqual([{ ref: 'aipipeline:default/churn-train' }]);
    await expect(
      visibility.pipelines(mockCredentials.user('user:default/alice')),
    ).resolves.toBe('all');
  });
});
