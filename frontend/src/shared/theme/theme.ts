import { useCallback, useSyncExternalStore } from 'react';

export type Theme = 'dark' | 'light';
const STORAGE_KEY = 'qt.theme';
const listeners = new Set<() => void>();

function initialTheme(): Theme {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (stored === 'dark' || stored === 'light') return stored;
  } catch {
    // no storage: fall through to the OS preference
  }
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

let theme: Theme = initialTheme();

export function applyTheme(next: Theme = theme): void {
  theme = next;
  const root = document.documentElement;
  root.classList.toggle('dark', next === 'dark');
  root.classList.toggle('light', next === 'light');
  listeners.forEach((listener) => listener());
}

export function getTheme(): Theme {
  return theme;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTheme(): [Theme, () => void] {
  const current = useSyncExternalStore(subscribe, getTheme, getTheme);
  const toggle = useCallback(() => {
    const next: Theme = getTheme() === 'dark' ? 'light' : 'dark';
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // the toggle still works for this page load
    }
    applyTheme(next);
  }, []);
  return [current, toggle];
}
