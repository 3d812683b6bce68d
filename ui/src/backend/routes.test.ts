import { describe, expect, it } from 'vitest';
// The server's committed OpenAPI document, the one `npm run gen:api` turns into `../api/schema` (a
// JSON import: Vite refuses `?raw` outside the UI's folder).
import openapiDocument from '../../../api-server/openapi.json';
import type { CaseView, CounterView, SaveCase } from '../api/types';
import type { PrintedPdf } from './Backend';
import { fillPath, route, routes, type Route, type RouteAnswer, type RouteRequest } from './routes';

interface OpenApiParameter {
  name: string;
  in: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type OpenApiPathItem = { parameters?: OpenApiParameter[] } & Record<string, OpenApiOperation | undefined>;

const openapi = openapiDocument as unknown as { paths: Record<string, OpenApiPathItem> };

const table = Object.entries(routes) as Array<[string, Route]>;

/** The operation of the OpenAPI document that `r` names, if any. */
function operationOf(r: Route): OpenApiOperation | undefined {
  return openapi.paths[r.path]?.[r.method.toLowerCase()];
}

/** How the document says the operation's success answer is read. */
function documentedAnswer(op: OpenApiOperation): string {
  const [status, response] = Object.entries(op.responses).find(([s]) => s.startsWith('2'))!;
  const types = Object.keys(response.content ?? {});
  if (status === '204' || types.length === 0) return 'none';
  if (types.includes('application/pdf')) return 'pdf';
  if (types.includes('application/octet-stream')) return 'file';
  if (types.some((t) => t.startsWith('text/'))) return 'text';
  return types.includes('application/json') ? 'json' : `unknown (${types.join(', ')})`;
}

describe('the route table', () => {
  it('names only operations of api-server/openapi.json', () => {
    const missing = table.filter(([, r]) => operationOf(r) === undefined).map(([name, r]) => `${name}: ${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('has the path parameters the document declares, and none other', () => {
    for (const [name, r] of table) {
      const op = operationOf(r)!;
      const declared = [...(openapi.paths[r.path]!.parameters ?? []), ...(op.parameters ?? [])]
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      const inTemplate = [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      expect({ name, params: inTemplate }).toEqual({ name, params: declared });
    }
  });

  it('reads each answer as the document says it is sent (JSON, PDF or nothing)', () => {
    for (const [name, r] of table) {
      expect({ name, answer: r.answer }).toEqual({ name, answer: documentedAnswer(operationOf(r)!) });
    }
  });

  it('sends every PDF route as a POST (the desktop app’s api_pdf carries no method)', () => {
    const pdfRoutes = table.filter(([, r]) => r.answer === 'pdf');
    expect(pdfRoutes.map(([name]) => name).sort()).toEqual([
      'issueCertificates',
      'previewCertificate',
      'printCase',
      'printForms',
      'reprintCertificate',
    ]);
    for (const [, r] of pdfRoutes) expect(r.method).toBe('POST');
  });

  it('holds each operation once', () => {
    const keys = table.map(([, r]) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(routes.getCase)).toBe(true);
  });
});

describe('fillPath', () => {
  it('URI-encodes each parameter', () => {
    expect(fillPath('/api/v1/cases/{case_id}/print', { case_id: 'a/b c?' })).toBe('/api/v1/cases/a%2Fb%20c%3F/print');
    expect(fillPath('/api/v1/towns')).toBe('/api/v1/towns');
  });

  it('refuses a template whose parameter has no value', () => {
    expect(() => fillPath('/api/v1/cases/{case_id}', {})).toThrow('{case_id}');
  });
});

// --- Type-level: `npx tsc --noEmit` fails when these stop holding ---------------------------------

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

describe('the route types (checked by tsc)', () => {
  it('refuse a path or method the OpenAPI document does not have', () => {
    // @ts-expect-error: not a path of the API
    const unknownPath = route('GET', '/api/v1/no-such-route', 'json');
    // @ts-expect-error: the login path has no GET
    const unknownMethod = route('GET', '/api/v1/auth/login', 'json');
    // @ts-expect-error: a Route names a path of the API
    const handMade: Route = { method: 'GET', path: '/api/v1/no-such-route', answer: 'json' };
    expect([unknownPath, unknownMethod, handMade]).toHaveLength(3);
  });

  it('take the request and answer types from the operation', () => {
    const typed: [
      Equal<RouteAnswer<typeof routes.counters>, CounterView[]>,
      Equal<RouteAnswer<typeof routes.getCase>, CaseView>,
      Equal<RouteAnswer<typeof routes.printCase>, PrintedPdf>,
      Equal<RouteAnswer<typeof routes.removeTerminal>, void>,
      Equal<RouteRequest<typeof routes.saveCase>['params'], { case_id: string }>,
      Equal<RouteRequest<typeof routes.saveCase>['body'], SaveCase>,
      Equal<RouteRequest<typeof routes.counters>['query'], { tenant: string }>,
    ] = [true, true, true, true, true, true, true];
    expect(typed.every(Boolean)).toBe(true);

    // @ts-expect-error: the case id is required
    const noParams: RouteRequest<typeof routes.getCase> = {};
    // @ts-expect-error: counters need the tenant
    const noQuery: RouteRequest<typeof routes.counters> = {};
    // @ts-expect-error: a save needs its body
    const noBody: RouteRequest<typeof routes.saveCase> = { params: { case_id: 'c' } };
    // @ts-expect-error: towns take no body
    const stray: RouteRequest<typeof routes.towns> = { body: { x: 1 } };
    // @ts-expect-error: towns take no query
    const strayQuery: RouteRequest<typeof routes.towns> = { query: { x: '1' } };
    expect([noParams, noQuery, noBody, stray, strayQuery]).toHaveLength(5);
  });
});
