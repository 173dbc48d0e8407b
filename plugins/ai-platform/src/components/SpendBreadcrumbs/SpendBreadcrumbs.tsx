import Breadcrumbs from '@mui/material/Breadcrumbs';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';

/** One level of the drill-down path. */
export interface SpendCrumb {
  label: string;
  /** The full key (entity ref), as a tooltip. */
  title?: string;
}

export interface SpendBreadcrumbsProps {
  crumbs: readonly SpendCrumb[];
  /** Goes back to the level at `index` (0 = the top). */
  onNavigate: (index: number) => void;
}

/**
 * Where the drill-down is: every level but the current one is a button
 * that goes back to it.
 */
export function SpendBreadcrumbs(props: SpendBreadcrumbsProps) {
  const { crumbs, onNavigate } = props;
  return (
    <Breadcrumbs aria-label="spend drill-down" sx={{ mb: 2 }}>
      {crumbs.map((crumb, index) =>
        index < crumbs.length - 1 ? (
          <Link
            key={`${index}:${crumb.title ?? crumb.label}`}
            component="button"
            variant="body1"
            title={crumb.title}
            onClick={() => onNavigate(index)}
          >
            {crumb.label}
          </Link>
        ) : (
          <Typography
            key={`${index}:${crumb.title ?? crumb.label}`}
            color="text.primary"
            aria-current="location"
            title={crumb.title}
          >
            {crumb.label}
          </Typography>
        ),
      )}
    </Breadcrumbs>
  );
}
