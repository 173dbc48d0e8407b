import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ReactNode } from 'react';
import { linkableEntityRef } from '../../lib/entityRefs';

/** Longer text is cut (the whole value stays in the tooltip). */
const MAX_TEXT = 120;

export interface EntityRefOrTextProps {
  /**
   * A string from the backend that is usually an entity ref: an actor, an
   * owner, a spend key. Anything else is shown as text.
   */
  value: string | null | undefined;
  /** Kinds that become links (e.g. `['user']` for actors); any by default. */
  kinds?: readonly string[];
  /** The link text instead of the entity's display name (`EntityRefLink`'s title). */
  title?: string;
  /** Shown when there is no value. */
  emptyText?: string;
}

/**
 * A link to the entity when `value` is an entity ref that can be linked to
 * (see `linkableEntityRef`); otherwise the value as plain text, never an
 * error: `ai-platform`, `ai-platform (policy answer-accuracy)`, a service
 * subject such as `ci-ingest`, or markup, rendered as text by React.
 */
export function EntityRefOrText(props: EntityRefOrTextProps): ReactNode {
  const { value, kinds, title, emptyText = '–' } = props;
  const ref = linkableEntityRef(value, kinds);
  if (ref) return <EntityRefLink entityRef={ref} title={title} />;
  const text = title || value || '';
  if (!text) return <span data-testid="entity-ref-text">{emptyText}</span>;
  return (
    <span
      data-testid="entity-ref-text"
      title={value || undefined}
      style={{ overflowWrap: 'anywhere' }}
    >
      {text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text}
    </span>
  );
}
