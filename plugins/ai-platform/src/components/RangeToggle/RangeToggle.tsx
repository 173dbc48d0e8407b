import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';

export interface RangeOption<T extends string> {
  id: T;
  label: string;
  /** Accessible name of the button. */
  ariaLabel: string;
}

/** A small exclusive toggle of time ranges; shared by the dashboard and spend pickers. */
export function RangeToggle<T extends string>(props: {
  options: ReadonlyArray<RangeOption<T>>;
  value: T;
  onChange: (range: T) => void;
  ariaLabel: string;
  disabled?: boolean;
}) {
  const { options, value, onChange, ariaLabel, disabled } = props;
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      disabled={disabled}
      aria-label={ariaLabel}
      onChange={(_e, next: T | null) => {
        if (next && next !== value) onChange(next);
      }}
    >
      {options.map(option => (
        <ToggleButton
          key={option.id}
          value={option.id}
          aria-label={option.ariaLabel}
        >
          {option.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
