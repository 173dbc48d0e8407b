import { useCallback, useEffect, useState } from 'react';

/**
 * Width of the element the returned ref is put on, following resizes. Where
 * nothing can be measured (no layout, as in jsdom) it is `fallback`.
 */
export function useContainerWidth(
  fallback: number,
): [(element: HTMLElement | null) => void, number] {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [width, setWidth] = useState(fallback);

  useEffect(() => {
    if (!element) return undefined;
    const measure = () => {
      const measured = Math.floor(element.getBoundingClientRect().width);
      setWidth(measured > 0 ? measured : fallback);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [element, fallback]);

  const ref = useCallback((el: HTMLElement | null) => setElement(el), []);
  return [ref, width];
}
