/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Optional API origin/prefix. Empty (default) = same origin as the SPA. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
