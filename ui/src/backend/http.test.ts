import { describe, expect, it, vi } from 'vitest';
import { t } from '../i18n';
import { BackendError } from './Backend';
import { HttpBackend } from './http';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function backendWith(fetchImpl: (url: string, init: RequestInit) => Promise<Response>) {
  const fetchMock = vi.fn(fetchImpl);
  const backend = new HttpBackend({ fetch: fetchMock as unknown as typeof fetch, storage: sessionStorage });
  return { backend, fetchMock };
}

async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('HttpBackend error mapping', () => {
  it('403 with the server body → forbidden with the server code and message', async () => {
    const { backend } = backendWith(async () =>
      jsonResponse(403, { error: { code: 'permission_denied', message: 'この窓口では住民票の交付はできません。' } }),
    );
    const error = await rejection(backend.quote({ items: [] }));
    expect(error.kind).toBe('forbidden');
    expect(error.status).toBe(403);
    expect(error.code).toBe('permission_denied');
    expect(error.message).toBe('この窓口では住民票の交付はできません。');
  });

  it('network failure (fetch TypeError) → network with the Japanese default', async () => {
    const { backend } = backendWith(async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = await rejection(backend.me());
    expect(error.kind).toBe('network');
    expect(error.status).toBe(0);
    expect(error.message).toBe(
      'サーバーに接続できません。入力内容は保持されています。接続を確認して、もう一度お試しください。',
    );
  });

  it.each([
    [400, 'validation'],
    [422, 'validation'],
    [401, 'unauthorized'],
    [404, 'not_found'],
    [409, 'conflict'],
    [500, 'server'],
    [503, 'server'],
  ] as const)('%i → %s, with the default message when the body is not the server JSON', async (status, kind) => {
    const { backend } = backendWith(async () => new Response('<html>Bad Gateway</html>', { status }));
    const error = await rejection(backend.resident('000000000000001'));
    expect(error.kind).toBe(kind);
    expect(error.status).toBe(status);
    expect(error.code).toBe(kind);
    expect(error.message).toBe(t(`error.${kind}`));
  });

  it('passes an abort through as the AbortError', async () => {
    const { backend } = backendWith(async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(backend.searchResidents({ q: 'ヤマダ' })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('HttpBackend session', () => {
  it('keeps the token after login, sends it as bearer, and clears it on 401', async () => {
    const { backend, fetchMock } = backendWith(async (url) => {
      if (url.endsWith('/api/v1/auth/login')) {
        return jsonResponse(200, { token: 'tok-1', expires_at: '2099-01-01T00:00:00Z', user: {} });
      }
      return jsonResponse(401, { error: { code: 'unauthorized', message: 'ログインしてください。' } });
    });
    const expired = vi.fn();
    backend.onUnauthorized(expired);

    await backend.login({ tenant: 'demo', user: 'u', password: 'p', counter: 'shimin' });
    expect(backend.hasSession()).toBe(true);
    expect(sessionStorage.length).toBe(1);
    expect(new HttpBackend({ storage: sessionStorage }).hasSession()).toBe(true); // survives a reload

    const error = await rejection(backend.searchResidents({ q: 'ヤマダ', limit: 20 }));
    const [url, init] = fetchMock.mock.calls[1]!;
    expect(url).toBe('/api/v1/residents?q=%E3%83%A4%E3%83%9E%E3%83%80&limit=20');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe('ログインしてください。');
    expect(backend.hasSession()).toBe(false);
    expect(sessionStorage.length).toBe(0);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('discloses a masked case: POST …/disclosure with the reason, answering the unmasked case', async () => {
    const answer = { case: { id: 'case-1', address_masked: false }, protected: true };
    const { backend, fetchMock } = backendWith(async () => jsonResponse(200, answer));
    await expect(backend.discloseCase('case-1', '転居届の確認')).resolves.toEqual(answer);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/cases/case-1/disclosure');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ reason: '転居届の確認' });
  });

  it('keeps the server code of a refused disclosure (reason_required)', async () => {
    const { backend } = backendWith(async () =>
      jsonResponse(400, {
        error: { code: 'reason_required', message: '住所を表示する理由を4文字以上200文字以内で入力してください。' },
      }),
    );
    const error = await rejection(backend.discloseCase('case-1', 'x'));
    expect(error).toMatchObject({ kind: 'validation', code: 'reason_required' });
  });

  it('reads the PDF of printForms as a Blob', async () => {
    const { backend } = backendWith(
      async () => new Response('%PDF-1.7', { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
    );
    const pdf = await backend.printForms({ subjects: [], forms: [] });
    expect(pdf.type).toBe('application/pdf');
    expect(await pdf.text()).toBe('%PDF-1.7');
  });

  it('issues certificates: POST …/certificates, the PDF with its pages and 発行番号 from the headers', async () => {
    const { backend, fetchMock } = backendWith(
      async () =>
        new Response('%PDF-1.7', {
          status: 200,
          headers: {
            'Content-Type': 'application/pdf',
            'x-madoguchi-pages': '2',
            'x-madoguchi-issue-numbers': 'R08-000001, R08-000002',
          },
        }),
    );
    const issued = await backend.issueCertificates('case-1', { write_id: 'c-1', override_reason: null });
    expect(issued.pages).toBe(2);
    expect(issued.issueNumbers).toEqual(['R08-000001', 'R08-000002']);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/cases/case-1/certificates');
    expect(JSON.parse(init.body as string)).toEqual({ write_id: 'c-1', override_reason: null });
  });

  it('a PDF without the header has no 発行番号', async () => {
    const { backend } = backendWith(async () => new Response('%PDF-1.7', { status: 200 }));
    expect((await backend.printCase('case-1', { write_id: 'p-1' })).issueNumbers).toBeUndefined();
  });
});
