/**
 * The flow editor's layout: the YAML on the left, then the side panes (topology, docs, namespace
 * files), each with a drag handle on its left edge to resize it and a button to collapse it to a
 * thin strip (a focused handle also moves with the arrow keys). Widths are remembered in localStorage; when the open panes would squeeze the YAML
 * below a usable width they shrink together instead.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, ReactNode } from 'react';

const WIDTHS_KEY = 'windhover.editor.widths';
/** The YAML editor never gets narrower than this while panes are open (long lines stay readable). */
const EDITOR_MIN_WIDTH = 460;
const PANE_MIN_WIDTH = 180;
const HANDLE_WIDTH = 8;
const STRIP_WIDTH = 28;
const KEY_STEP = 20;

/** One side pane of the editor. */
export interface SidePane {
  id: string;
  title: string;
  /** Its width before the user resizes it (px). */
  defaultWidth: number;
  open: boolean;
  content: ReactNode;
}

type Widths = Record<string, number>;

function savedWidths(): Widths {
  try {
    const value = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? '{}') as unknown;
    if (!value || typeof value !== 'object') return {};
    return Object.fromEntries(
      Object.entries(value).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
    );
  } catch {
    return {};
  }
}

/** The YAML editor beside its resizable, collapsible side panes. */
export function EditorSplit({
  editor,
  panes,
  onOpenChange,
}: {
  editor: ReactNode;
  panes: SidePane[];
  onOpenChange: (id: string, open: boolean) => void;
}) {
  const [widths, setWidths] = useState<Widths>(savedWidths);
  const [containerWidth, setContainerWidth] = useState<number | undefined>();
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setContainerWidth(element.clientWidth));
    observer.observe(element);
    setContainerWidth(element.clientWidth);
    return () => observer.disconnect();
  }, []);

  const open = panes.filter((pane) => pane.open);
  const wanted = (pane: SidePane) => widths[pane.id] ?? pane.defaultWidth;
  // The room the open panes may take: the rest stays the YAML's.
  const room =
    (containerWidth ?? Infinity) -
    EDITOR_MIN_WIDTH -
    open.length * HANDLE_WIDTH -
    (panes.length - open.length) * STRIP_WIDTH;
  const total = open.reduce((sum, pane) => sum + wanted(pane), 0);
  const scale = total > room ? Math.max(0, room) / total : 1;
  const shown = (pane: SidePane) => Math.max(PANE_MIN_WIDTH, Math.floor(wanted(pane) * scale));

  const startDrag = useCallback(
    (pane: SidePane, startWidth: number, event: ReactPointerEvent<HTMLDivElement>) => {
      event.preventDefault();
      const handle = event.currentTarget;
      handle.setPointerCapture(event.pointerId);
      const startX = event.clientX;
      const others = open.filter((p) => p.id !== pane.id).reduce((sum, p) => sum + shown(p), 0);
      const max = Math.max(PANE_MIN_WIDTH, room - others);
      let width = startWidth;
      const move = (e: PointerEvent) => {
        // The handle is on the pane's left edge: dragging left widens it.
        width = Math.min(max, Math.max(PANE_MIN_WIDTH, Math.round(startWidth - (e.clientX - startX))));
        setWidths((current) => ({ ...current, [pane.id]: width }));
      };
      const stop = () => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', stop);
        handle.removeEventListener('pointercancel', stop);
        setWidths((current) => {
          const next = { ...current, [pane.id]: width };
          localStorage.setItem(WIDTHS_KEY, JSON.stringify(next));
          return next;
        });
      };
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', stop);
      handle.addEventListener('pointercancel', stop);
    },
    // `shown` and the figures it uses change with every render; the handler reads this render's.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [open, room, total, scale],
  );

  // The keyboard's way: arrows on a focused handle move it by a step (left widens the pane).
  const resizeBy = (pane: SidePane, step: number) => {
    const others = open.filter((p) => p.id !== pane.id).reduce((sum, p) => sum + shown(p), 0);
    const max = Math.max(PANE_MIN_WIDTH, room - others);
    const width = Math.min(max, Math.max(PANE_MIN_WIDTH, shown(pane) + step));
    const next = { ...widths, [pane.id]: width };
    localStorage.setItem(WIDTHS_KEY, JSON.stringify(next));
    setWidths(next);
  };

  return (
    <div className="editor-split" ref={container}>
      <div className="editor-pane card">{editor}</div>
      {panes.map((pane) =>
        pane.open ? (
          <PaneWithHandle
            key={pane.id}
            pane={pane}
            width={shown(pane)}
            onDragStart={(event) => startDrag(pane, shown(pane), event)}
            onStep={(step) => resizeBy(pane, step)}
            onCollapse={() => onOpenChange(pane.id, false)}
          />
        ) : (
          <button
            key={pane.id}
            type="button"
            className="pane-strip"
            data-testid={`expand-${pane.id}`}
            aria-label={`Show ${pane.title}`}
            title={`Show ${pane.title}`}
            onClick={() => onOpenChange(pane.id, true)}
          >
            <span>{pane.title}</span>
          </button>
        ),
      )}
    </div>
  );
}

function PaneWithHandle({
  pane,
  width,
  onDragStart,
  onStep,
  onCollapse,
}: {
  pane: SidePane;
  width: number;
  onDragStart: (event: ReactPointerEvent<HTMLDivElement>) => void;
  /** Widens (positive) or narrows the pane by a keyboard step. */
  onStep: (step: number) => void;
  onCollapse: () => void;
}) {
  return (
    <>
      <div
        className="pane-handle"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${pane.title}`}
        aria-valuenow={width}
        data-testid={`resize-${pane.id}`}
        tabIndex={0}
        onPointerDown={onDragStart}
        onKeyDown={(event) => {
          if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
          event.preventDefault();
          onStep(event.key === 'ArrowLeft' ? KEY_STEP : -KEY_STEP);
        }}
      />
      <div
        className={`side-pane ${pane.id}-pane card`}
        data-testid={`${pane.id}-pane`}
        style={{ width, flexBasis: width }}
      >
        <div className="pane-title">
          <span>{pane.title}</span>
          <button
            type="button"
            className="pane-collapse"
            aria-label={`Collapse ${pane.title}`}
            title={`Collapse ${pane.title}`}
            onClick={onCollapse}
          >
            »
          </button>
        </div>
        <div className="side-pane-body">{pane.content}</div>
      </div>
    </>
  );
}
