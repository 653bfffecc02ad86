/**
 * Long lists paint their first screenful first (issue 17). A view that
 * receives a page of a few hundred rows rendered them all before its first
 * paint: with Fluent's table components that was most of the Findings and
 * Cost views' first meaningful paint at 100k items. Here a new answer shows
 * its first rows in the first frame, and the rest of the same rows are
 * rendered right after that frame is painted, as a transition. The rows in
 * the end are the same, in the same order.
 */
import { startTransition, useEffect, useState } from 'react';

/**
 * `rows` cut to `first` until the frame after `answer` (the query's data the rows come from; a new one starts
 * again) has been painted, then all of them.
 */
export function useFirstFrameRows<T>(rows: readonly T[], answer: unknown, first: number): readonly T[] {
  const [whole, setWhole] = useState<unknown>(null);
  const cut = answer !== null && answer !== undefined && whole !== answer && rows.length > first;
  useEffect(() => {
    if (!cut) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // requestAnimationFrame runs before the first paint with the rows; the timer after it.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setWhole(answer)));
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [cut, answer]);
  return cut ? rows.slice(0, first) : rows;
}
