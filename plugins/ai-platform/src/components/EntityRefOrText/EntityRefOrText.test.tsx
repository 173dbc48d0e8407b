import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { NOT_ENTITY_REFS, expectShownAsText } from '../../testUtils';
import { EntityRefOrText } from './EntityRefOrText';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('EntityRefOrText', () => {
  it('links an entity ref to its entity page', async () => {
    renderInTestApp(<EntityRefOrText value="user:default/alice" />, {
      mountedRoutes,
    });
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
  });

  it('links with the title as the text', async () => {
    renderInTestApp(
      <EntityRefOrText
        value="aipipeline:default/kb-answers"
        title="Knowledge-base answers"
      />,
      { mountedRoutes },
    );
    expect(
      screen.getByRole('link', { name: 'Knowledge-base answers' }),
    ).toHaveAttribute('href', '/catalog/default/aipipeline/kb-answers');
  });

  it.each(NOT_ENTITY_REFS)('shows %p as text, not a link', async value => {
    const { container } = renderInTestApp(<EntityRefOrText value={value} />, {
      mountedRoutes,
    });
    expectShownAsText(container, value);
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows a ref of a kind that is not asked for as text', async () => {
    const { container } = renderInTestApp(
      <EntityRefOrText value="plugin:catalog" kinds={['user']} />,
      { mountedRoutes },
    );
    expectShownAsText(container, 'plugin:catalog');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows the title of a value that is not a ref, the value as its tooltip', async () => {
    const { container } = renderInTestApp(
      <EntityRefOrText value="ai-platform" title="The platform" />,
      { mountedRoutes },
    );
    expectShownAsText(container, 'ai-platform', 'The platform');
    expect(container).toHaveTextContent(/^The platform$/);
  });

  it('shows a dash for no value', async () => {
    const { container } = renderInTestApp(<EntityRefOrText value={null} />, {
      mountedRoutes,
    });
    expect(container).toHaveTextContent(/^–$/);
  });

  it('shows the empty text for no value when given', async () => {
    const { container } = renderInTestApp(
      <EntityRefOrText value={undefined} emptyText="nobody" />,
      { mountedRoutes },
    );
    expect(container).toHaveTextContent(/^nobody$/);
  });

  it('cuts a long value, keeping all of it in the tooltip', async () => {
    const value = 'x'.repeat(500);
    renderInTestApp(<EntityRefOrText value={value} />, {
      mountedRoutes,
    });
    const text = screen.getByTestId('entity-ref-text');
    expect(text.textContent).toHaveLength(120);
    expect(text.textContent!.endsWith('…')).toBe(true);
    expect(text).toHaveAttribute('title', value);
  });
});
