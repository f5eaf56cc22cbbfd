// Test double for upload-version.ts (not imported by the app).

/**
 * XMLHttpRequest stand-in that reports upload progress, then hands the request to the stubbed
 * fetch (stubApi), so tests answer uploads like any other endpoint and can read the FormData.
 */
export class FakeXhr {
  static last: FakeXhr | null = null;
  body: FormData | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(method: string, url: string) { this.method = method; this.url = url; }
  setRequestHeader(name: string, value: string) { this.headers[name] = value; }
  send(body: FormData) {
    FakeXhr.last = this;
    this.body = body;
    this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
    void globalThis
      .fetch(new Request(new URL(this.url, window.location.origin), { method: this.method, headers: this.headers, body }))
      .then(async (response) => {
        this.status = response.status;
        this.responseText = await response.text();
        this.onload?.();
      });
  }
}
