import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { publisherKeys } from '@/features/publisher/api/keys';
import type { Version } from '@/features/publisher/api/get-listing-versions';
import { csrfToken } from '@/shared/api/csrf';
import { ApiError } from '@/shared/api/http';
import { env } from '@/shared/lib/env';
import { getActiveTenant } from '@/shared/tenant/tenant-store';

export type VersionUpload = {
  module: File;
  /** The manifest as JSON text (sent as the multipart field 'manifest'). */
  manifest: string;
  version: string;
  changelog: string;
};

export type UploadProgress = { loaded: number; total: number };

export function uploadFormData(input: VersionUpload): FormData {
  const form = new FormData();
  form.append('module', input.module, input.module.name);
  form.append('manifest', input.manifest);
  form.append('version', input.version);
  form.append('changelog', input.changelog);
  return form;
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/**
 * POST /api/v1/marketplace/my-listings/{id}/versions as multipart, through XMLHttpRequest because
 * fetch cannot report upload progress. Same session rules as the API client: same-origin cookie,
 * X-CSRFToken and X-Tenant. Non-2xx answers throw ApiError with the API's own message.
 */
export async function postVersion(
  listingId: number,
  input: VersionUpload,
  onProgress: (progress: UploadProgress) => void,
): Promise<Version> {
  const url = `${env.API_URL}/api/v1/marketplace/my-listings/${listingId}/versions`;
  const token = await csrfToken();
  return new Promise<Version>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRFToken', token);
    const tenant = getActiveTenant();
    if (tenant) xhr.setRequestHeader('X-Tenant', tenant);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Version);
      else reject(new ApiError(xhr.status, body, url));
    };
    xhr.onerror = () => reject(new TypeError('the upload failed (connection lost)'));
    xhr.onabort = () => reject(new TypeError('the upload was cancelled'));
    xhr.send(uploadFormData(input));
  });
}

/** The upload mutation with its progress (bytes sent of the request body). */
export function useUploadVersion(listingId: number) {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: (input: VersionUpload) => {
      setProgress({ loaded: 0, total: input.module.size });
      return postVersion(listingId, input, setProgress);
    },
    onSuccess: (version) => {
      queryClient.setQueryData(publisherKeys.version(version.id), version);
      void queryClient.invalidateQueries({ queryKey: publisherKeys.versions(listingId) });
    },
    onSettled: () => setProgress(null),
  });
  return { ...mutation, progress };
}
