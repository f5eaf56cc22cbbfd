import { useSyncExternalStore } from 'react';

// The active tenant lives outside React so the API client (a plain module) can read it
// for the X-Tenant header, and the WebSocket can reconnect when it changes.
const STORAGE_KEY = 'qt.activeTenant';
const listeners = new Set<() => void>();

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let activeTenant: string | null = readStored();

export function getActiveTenant(): string | null {
  return activeTenant;
}

export function setActiveTenant(tenant: string | null): void {
  if (tenant === activeTenant) return;
  activeTenant = tenant;
  try {
    if (tenant === null) window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, tenant);
  } catch {
    // Private mode without storage: the choice still holds for this page load.
  }
  listeners.forEach((listener) => listener());
}

export function subscribeActiveTenant(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useActiveTenant(): string | null {
  return useSyncExternalStore(subscribeActiveTenant, getActiveTenant, getActiveTenant);
}
