import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { UnpricedModelsCard } from './UnpricedModelsCard';

describe('UnpricedModelsCard', () => {
  it('lists the unpriced models, most requests first, as unknown not zero', async () => {
    renderInTestApp(
      <UnpricedModelsCard
        items={[
          { model: 'in-house-llm', provider: null, requests: 12 },
          { model: 'mystery-7b', provider: 'together', requests: 1200 },
        ]}
      />,
    );

    expect(screen.getByText(/Priced as unknown, not zero/)).toBeInTheDocument();
    const rows = within(screen.getByRole('table', { name: 'unpriced models' }))
      .getAllByRole('row')
      .slice(1);
    expect(
      rows.map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      ['mystery-7b', 'together', '1,200'],
      ['in-house-llm', 'unknown', '12'],
    ]);
  });

  it('says every model is priced when none is unpriced', async () => {
    renderInTestApp(<UnpricedModelsCard items={[]} />);
    expect(
      screen.getByText('Every model used in this range has a price.'),
    ).toBeInTheDocument();
  });
});
