/** A dotted name (`company.team.reporting`, `io.kestra.plugin…`) that wraps only after its dots. */
import { Fragment } from 'react';

/** `name` with a line-break opportunity after each dot, so a narrow column never splits a word. */
export function DottedName({ name }: { name: string }) {
  const parts = name.split('.');
  // One span: inside a flex container (a button) its text stays one run, without gaps at the dots.
  return (
    <span>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && '.'}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </span>
  );
}
