/** An execution or task-run state as a coloured badge (the colours are the theme's `--state-*`). */
import type { StateName } from '../api/types';

export function StateBadge({ state }: { state: StateName }) {
  return (
    <span className={`state state-${state.toLowerCase()}`} data-state={state}>
      {state}
    </span>
  );
}
