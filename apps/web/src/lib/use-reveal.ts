import { useEffect, useRef } from 'react';

/** Scrolls the window so the returned ref's element shows below the header whenever `trigger` becomes a new truthy value (e.g. a save error). */
export function useReveal<T extends HTMLElement>(trigger: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    // window.scrollTo, not scrollIntoView: the latter also scrolls the fixed app shell's containers.
    if (trigger && el) window.scrollTo({ top: Math.max(0, el.getBoundingClientRect().top + window.scrollY - 72) });
  }, [trigger]);
  return ref;
}
