import { type FormEvent, useRef, useState } from 'react';

import type { Version } from '@/features/publisher/api/get-listing-versions';
import { type VersionUpload, useUploadVersion } from '@/features/publisher/api/upload-version';
import { ErrorMessage } from '@/shared/components/error-message';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

type Problems = Partial<Record<'module' | 'manifest' | 'version' | 'changelog', string>>;

export function checkUpload(module: File | null, manifest: string, version: string, changelog: string): Problems {
  const problems: Problems = {};
  if (!module) problems.module = 'Choose the built module (.wasm).';
  if (!manifest.trim()) problems.manifest = 'Add the manifest: choose its .json file or paste it.';
  else {
    try {
      const parsed: unknown = JSON.parse(manifest);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) problems.manifest = 'The manifest must be a JSON object.';
    } catch (error) {
      problems.manifest = `The manifest is not valid JSON: ${(error as Error).message}`;
    }
  }
  if (!SEMVER.test(version.trim())) problems.version = 'A semantic version MAJOR.MINOR.PATCH, e.g. 1.0.0.';
  if (changelog.length > 4000) problems.changelog = 'At most 4,000 characters.';
  return problems;
}

function manifestVersion(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : null;
  } catch {
    return null;
  }
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Upload a new version: module + manifest + version + changelog, with the upload's progress. */
export function VersionUploadForm({ listingId, onUploaded, onCancel }: {
  listingId: number;
  onUploaded: (version: Version) => void;
  onCancel?: () => void;
}) {
  const upload = useUploadVersion(listingId);
  const [module, setModule] = useState<File | null>(null);
  const [manifest, setManifest] = useState('');
  const [version, setVersion] = useState('');
  const [changelog, setChangelog] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const form = useRef<HTMLFormElement>(null);

  async function pickManifest(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    setManifest(text);
    const v = manifestVersion(text);
    if (v && !version) setVersion(v);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = checkUpload(module, manifest, version, changelog);
    setProblems(found);
    if (Object.keys(found).length > 0 || !module) return;
    const input: VersionUpload = { module, manifest, version: version.trim(), changelog };
    upload.mutate(input, {
      onSuccess: (row) => {
        form.current?.reset();
        setModule(null);
        setManifest('');
        setVersion('');
        setChangelog('');
        onUploaded(row);
      },
    });
  }

  const percent = upload.progress && upload.progress.total > 0 ? Math.round((100 * upload.progress.loaded) / upload.progress.total) : 0;

  return (
    <form ref={form} className="flex flex-col gap-3" onSubmit={submit} noValidate aria-label="Upload a version">
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="upload-module" className="text-muted">Module (.wasm)</label>
          <input id="upload-module" type="file" accept=".wasm,application/wasm" className="text-sm"
            aria-invalid={!!problems.module} onChange={(e) => setModule(e.target.files?.[0] ?? null)} />
          {module && <p className="text-xs text-muted">{module.name}, {kib(module.size)}</p>}
          {problems.module && <p className="text-xs text-down">{problems.module}</p>}
        </div>
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="upload-manifest-file" className="text-muted">Manifest file (.json)</label>
          <input id="upload-manifest-file" type="file" accept=".json,application/json" className="text-sm"
            onChange={(e) => void pickManifest(e.target.files?.[0])} />
          <p className="text-xs text-muted">The JSON beside the module (e.g. rsi.wasm + rsi.json); or paste it below.</p>
        </div>
      </div>
      <div className="flex flex-col gap-1 text-sm">
        <label htmlFor="upload-manifest" className="text-muted">Manifest (JSON)</label>
        <textarea id="upload-manifest" className="input min-h-28 font-mono text-xs" value={manifest} spellCheck={false}
          aria-invalid={!!problems.manifest} placeholder='{"name": "sma_cross", "version": "1.0.0", "description": "…", "params": [], "warmup_bars": 30, "intervals": ["1m"]}'
          onChange={(e) => setManifest(e.target.value)} />
        {problems.manifest && <p className="text-xs text-down">{problems.manifest}</p>}
      </div>
      <div className="grid gap-3 sm:grid-cols-[10rem_1fr]">
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="upload-version" className="text-muted">Version</label>
          <input id="upload-version" className="input font-mono" value={version} placeholder="1.0.0"
            aria-invalid={!!problems.version} onChange={(e) => setVersion(e.target.value)} />
          {problems.version && <p className="text-xs text-down">{problems.version}</p>}
        </div>
        <div className="flex flex-col gap-1 text-sm">
          <label htmlFor="upload-changelog" className="text-muted">Changelog</label>
          <textarea id="upload-changelog" className="input min-h-10" value={changelog} placeholder="What changed in this version"
            aria-invalid={!!problems.changelog} onChange={(e) => setChangelog(e.target.value)} />
          {problems.changelog && <p className="text-xs text-down">{problems.changelog}</p>}
        </div>
      </div>
      {upload.isPending && (
        <div className="flex items-center gap-2 text-sm" role="status">
          <progress className="h-2 flex-1 accent-[var(--accent)]" max={100} value={percent} aria-label="Upload progress" />
          <span className="font-mono text-xs">{percent}%</span>
        </div>
      )}
      <ErrorMessage error={upload.error} title="Upload refused" />
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={upload.isPending}>{upload.isPending ? 'Uploading…' : 'Upload version'}</button>
        {onCancel && <button type="button" className="btn" onClick={onCancel} disabled={upload.isPending}>Cancel</button>}
      </div>
    </form>
  );
}
