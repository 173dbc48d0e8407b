import {
  NO_KEY,
  SpendGroupBy,
  UnattributedKeyType,
  shortRef,
} from '@aiplatform/plugin-ai-platform-common';

const NO_KEY_LABEL: Record<SpendGroupBy, string> = {
  team: '(no owning team)',
  service: '(no catalog entity)',
  model: '(no model)',
  pipeline: '(no pipeline)',
};

/** Whether a spend key names something (a team, entity, model, pipeline). */
export function isNamedSpendKey(key: string): boolean {
  return key !== NO_KEY && key !== '';
}

/**
 * A spend key for people: refs without the default namespace
 * (`group:default/ml-team` → `ml-team`), models as they are, and the
 * `(none)` key of attributed usage without a value as what it means.
 */
export function spendKeyLabel(key: string, groupBy: SpendGroupBy): string {
  if (!isNamedSpendKey(key)) return NO_KEY_LABEL[groupBy];
  if (groupBy === 'model') return key;
  return shortRef(key);
}

/** What names unattributed usage, for people. */
export const UNATTRIBUTED_KEY_TYPE_LABEL: Record<UnattributedKeyType, string> =
  {
    'key-alias': 'key alias',
    team: 'team id',
    tag: 'tag',
    unknown: 'unknown',
  };
