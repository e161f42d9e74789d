/** The title row of a page: breadcrumbs, title and the page's actions on the right. */
import type { ReactNode } from 'react';

export function PageHeader({
  title,
  crumbs,
  actions,
}: {
  title: ReactNode;
  crumbs?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        {crumbs && <div className="crumbs">{crumbs}</div>}
        <h1>{title}</h1>
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}
