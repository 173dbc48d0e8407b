import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { SpendErrorPanel } from './SpendErrorPanel';

describe('SpendErrorPanel', () => {
  it('says "not allowed" for a 403', async () => {
    const error = Object.assign(new Error('Request failed with 403'), {
      name: 'ResponseError',
      statusCode: 403,
    });
    renderInTestApp(<SpendErrorPanel error={error} title="Teams" />);

    expect(screen.getByText('Teams: not allowed')).toBeInTheDocument();
    expect(
      screen.getByText(/You are not allowed to see this spend/),
    ).toBeInTheDocument();
  });

  it('shows any other error with its message', async () => {
    renderInTestApp(<SpendErrorPanel error={new Error('usage store down')} />);
    expect(
      (await screen.findAllByText(/usage store down/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/not allowed/)).not.toBeInTheDocument();
  });
});
