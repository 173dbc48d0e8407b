import { isNamedSpendKey, spendKeyLabel } from './spendKeys';

describe('spendKeyLabel', () => {
  it('shortens refs and keeps model names', () => {
    expect(spendKeyLabel('group:default/ml-team', 'team')).toBe('ml-team');
    expect(spendKeyLabel('group:finance/risk', 'team')).toBe('finance/risk');
    expect(spendKeyLabel('component:default/answers', 'service')).toBe(
      'answers',
    );
    expect(spendKeyLabel('gpt-4.1-mini', 'model')).toBe('gpt-4.1-mini');
    expect(spendKeyLabel('aipipeline:default/rag', 'pipeline')).toBe('rag');
  });

  it('names the (none) key by dimension', () => {
    expect(spendKeyLabel('(none)', 'team')).toBe('(no owning team)');
    expect(spendKeyLabel('(none)', 'service')).toBe('(no catalog entity)');
    expect(isNamedSpendKey('(none)')).toBe(false);
    expect(isNamedSpendKey('group:default/a')).toBe(true);
  });
});
