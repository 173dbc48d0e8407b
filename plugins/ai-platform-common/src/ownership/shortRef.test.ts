import { shortRef } from './shortRef';

describe('shortRef', () => {
  it('drops the kind and the default namespace', () => {
    expect(shortRef('group:default/ml-team')).toBe('ml-team');
    expect(shortRef('group:ml/ml-team')).toBe('ml/ml-team');
    expect(shortRef('not a ref')).toBe('not a ref');
  });
});
