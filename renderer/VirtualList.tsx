// A windowed list: of a long list, only the rows in and near the view of its scrolling container are in the page.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  keyOf: (item: T) => string;
  render: (item: T, index: number) => ReactNode;
  /** Height of a row in px at least (every row of a windowed list gets the height of the tallest measured). */
  rowHeight: number;
  className?: string;
  /** Lists up to this long are rendered whole (as a plain list); longer ones are windowed. */
  windowAbove?: number;
  /** Rows kept in the page beyond each edge of the view, so a fast scroll does not show gaps. */
  overscan?: number;
}

/** The nearest ancestor that scrolls vertically, or null for the page. */
function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const { overflowY } = getComputedStyle(p);
    if (overflowY === 'auto' || overflowY === 'scroll') return p;
  }
  return null;
}

/**
 * An `<ol>` of `items`. Past `windowAbove` items it holds only the rows that intersect the view of the
 * nearest scrolling ancestor (plus `overscan` either side) between two spacers, all rows one height, so
 * 50,000 annotations or 10,000 articles cost React and the browser what a screenful does.
 */
export function VirtualList<T>({ items, keyOf, render, rowHeight, className, windowAbove = 200, overscan = 20 }: VirtualListProps<T>) {
  const list = useRef<HTMLOListElement>(null);
  const windowed = items.length > windowAbove;
  const [height, setHeight] = useState(rowHeight);
  const [range, setRange] = useState<[number, number]>([0, Math.min(items.length, 2 * overscan)]);

  // Rows are as tall as the tallest one rendered so far (fonts differ between machines). Sizes come from
  // a ResizeObserver, after layout: reading them here would force a layout of the whole page mid-render.
  const sizes = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    if (!windowed) return;
    const observer = new ResizeObserver((entries) => {
      const tallest = Math.ceil(Math.max(...entries.map((e) => e.borderBoxSize[0]?.blockSize ?? 0)));
      setHeight((h) => (tallest > h ? tallest : h));
    });
    sizes.current = observer;
    return () => observer.disconnect();
  }, [windowed]);
  useEffect(() => {
    for (const row of list.current?.querySelectorAll(':scope > [data-row] > *') ?? []) sizes.current?.observe(row);
  });

  // Where the list sits in its scrolling container, as last measured (after layout, never forcing one):
  // the rows to show follow from it when the list grows, shrinks or its rows get taller.
  const view = useRef<{ top: number; height: number } | null>(null);
  const show = (count: number, rowHeight: number): void => {
    if (!view.current) return;
    const { top, height: viewHeight } = view.current;
    const first = Math.max(0, Math.min(count, Math.floor(-top / rowHeight) - overscan));
    const last = Math.max(first, Math.min(count, Math.ceil((viewHeight - top) / rowHeight) + overscan));
    setRange((r) => (r[0] === first && r[1] === last ? r : [first, last]));
  };
  const latest = useRef({ count: items.length, height, show });
  latest.current = { count: items.length, height, show };
  useEffect(() => latest.current.show(items.length, height), [items.length, height]);

  useEffect(() => {
    if (!windowed || !list.current) return;
    const el = list.current;
    const scroller = scrollParent(el);
    const measure = (): void => {
      const viewTop = scroller ? scroller.getBoundingClientRect().top : 0;
      view.current = { top: el.getBoundingClientRect().top - viewTop, height: scroller ? scroller.clientHeight : window.innerHeight };
      latest.current.show(latest.current.count, latest.current.height);
    };
    const target: HTMLElement | Window = scroller ?? window;
    target.addEventListener('scroll', measure, { passive: true });
    // Also called once when observing starts, after the next layout.
    const resize = new ResizeObserver(measure);
    resize.observe(scroller ?? document.documentElement);
    resize.observe(el);
    return () => {
      target.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [windowed]);

  if (!windowed) {
    return (
      <ol ref={list} className={className}>
        {items.map((item, i) => (
          <li key={keyOf(item)}>{render(item, i)}</li>
        ))}
      </ol>
    );
  }
  const first = Math.min(range[0], items.length);
  const last = Math.min(range[1], items.length);
  return (
    <ol ref={list} className={className}>
      <li aria-hidden="true" style={{ height: first * height }} />
      {items.slice(first, last).map((item, i) => (
        <li key={keyOf(item)} data-row="" style={{ height, overflow: 'hidden' }} aria-setsize={items.length} aria-posinset={first + i + 1}>
          {render(item, first + i)}
        </li>
      ))}
      <li aria-hidden="true" style={{ height: (items.length - last) * height }} />
    </ol>
  );
}
