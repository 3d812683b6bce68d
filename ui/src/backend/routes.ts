// The API server's routes the UI calls, each written ONCE: its method, its path template (`{name}`
// for a path parameter, as in the OpenAPI document) and how its successful answer is read. The server
// operations of both backends (`server.ts`) send them through a `Transport` (`transport.ts`):
// HttpBackend over HTTP, TauriBackend over the runtime's `api_request` / `api_pdf` commands.
//
// A route whose path, or whose method at that path, is not an operation of the server's OpenAPI
// document (`paths` of the generated `../api/schema`) does not type-check; the types of its path
// parameters, query, body and answer come from that operation. `routes.test.ts` also checks the table
// against `api-server/openapi.json` itself. No I/O here.
import type { paths } from '../api/schema';
import type { PrintedPdf } from './Backend';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * How a successful answer is read: `json` → the parsed body; `pdf` → a `PrintedPdf` (an
 * `application/pdf` answer); `text` → the body as a string (a CSV download); `file` → a `Blob` (any
 * other file, `application/octet-stream`: an application's attachment); `none` → nothing (a 204, or a
 * body the caller does not need).
 */
export type AnswerKind = 'json' | 'pdf' | 'text' | 'file' | 'none';

/** A path of the server's OpenAPI document. */
export type ApiPath = keyof paths;

/** `T[K]`, or `never` when `T` has no `K`. */
type At<T, K> = K extends keyof T ? T[K] : never;

/** The methods the OpenAPI document defines at `path` (its other methods are `?: never` there). */
export type MethodOf<P extends ApiPath> = {
  [M in Method]: At<paths[P], Lowercase<M>> extends undefined ? never : M;
}[Method];

/** One server operation the UI uses. */
export interface Route<P extends ApiPath = ApiPath, M extends Method = Method, A extends AnswerKind = AnswerKind> {
  readonly method: M;
  /** The OpenAPI path template, e.g. `/api/v1/cases/{case_id}`. */
  readonly path: P;
  readonly answer: A;
}

/** A route; only an operation of the OpenAPI document type-checks. */
export function route<P extends ApiPath, M extends MethodOf<P>, A extends AnswerKind>(
  method: M,
  path: P,
  answer: A,
): Route<P, M, A> {
  return Object.freeze({ method, path, answer });
}

/**
 * Every server operation of the UI, keyed by the `Backend` method that sends it. Which of them the
 * desktop app sends through a typed command instead (`case_save`) is TauriBackend's business.
 */
export const routes = {
  // Session
  counters: route('GET', '/api/v1/auth/counters', 'json'),
  login: route('POST', '/api/v1/auth/login', 'json'),
  logout: route('POST', '/api/v1/auth/logout', 'none'),
  me: route('GET', '/api/v1/auth/me', 'json'),
  changePassword: route('POST', '/api/v1/auth/password', 'none'),
  // Residents
  searchResidents: route('GET', '/api/v1/residents', 'json'),
  household: route('GET', '/api/v1/households/{household_no}', 'json'),
  resident: route('GET', '/api/v1/residents/{atena_no}', 'json'),
  // 手続きナビ, fees, forms
  evaluate: route('POST', '/api/v1/navigation/evaluate', 'json'),
  procedures: route('GET', '/api/v1/procedures', 'json'),
  quote: route('POST', '/api/v1/fees/quote', 'json'),
  feeTable: route('GET', '/api/v1/fees/table', 'json'),
  ownCounterCertificates: route('GET', '/api/v1/counter/certificates', 'json'),
  printForms: route('POST', '/api/v1/forms/print', 'pdf'),
  // Cases
  saveCase: route('PUT', '/api/v1/cases/{case_id}', 'json'),
  getCase: route('GET', '/api/v1/cases/{case_id}', 'json'),
  discloseCase: route('POST', '/api/v1/cases/{case_id}/disclosure', 'json'),
  listCases: route('GET', '/api/v1/cases', 'json'),
  caseVocabulary: route('GET', '/api/v1/cases-vocabulary', 'json'),
  printCase: route('POST', '/api/v1/cases/{case_id}/print', 'pdf'),
  towns: route('GET', '/api/v1/towns', 'json'),
  resolveQr: route('POST', '/api/v1/qr/resolve', 'json'),
  preApplication: route('GET', '/api/v1/pre-applications/{number}', 'json'),
  kioskPreApplication: route('POST', '/api/v1/kiosk/pre-application', 'json'),
  incomingMoves: route('GET', '/api/v1/incoming-moves', 'json'),
  // 来庁予定者 (転入予約)
  arrivals: route('GET', '/api/v1/arrivals', 'json'),
  arrival: route('GET', '/api/v1/arrivals/{notice_no}', 'json'),
  prepareArrival: route('POST', '/api/v1/arrivals/{notice_no}/prepare', 'json'),
  prepareArrivals: route('POST', '/api/v1/arrivals/prepare', 'json'),
  // 証明書の発行・確認
  issueCertificates: route('POST', '/api/v1/cases/{case_id}/certificates', 'pdf'),
  verifyCertificate: route('POST', '/api/v1/certificates/verify', 'json'),
  revokeCertificate: route('POST', '/api/v1/certificates/{issue_no}/revoke', 'json'),
  stationStatus: route('GET', '/api/v1/issuance/station/status', 'json'),
  stationHours: route('GET', '/api/v1/admin/station-hours', 'json'),
  saveStationHours: route('PUT', '/api/v1/admin/station-hours', 'json'),
  identifyAtStation: route('POST', '/api/v1/issuance/station/identify', 'json'),
  stationRequests: route('GET', '/api/v1/issuance/requests', 'json'),
  actOnStationRequest: route('POST', '/api/v1/issuance/requests/{request_id}/actions', 'json'),
  claimPrintJob: route('POST', '/api/v1/issuance/print-jobs/claim', 'json'),
  stationSetups: route('GET', '/api/v1/admin/stations', 'json'),
  issuanceRules: route('GET', '/api/v1/admin/issuance-rules', 'json'),
  saveIssuanceRules: route('PUT', '/api/v1/admin/issuance-rules', 'json'),
  saveStationSetup: route('PUT', '/api/v1/admin/stations/{terminal}', 'json'),
  certificateHistory: route('GET', '/api/v1/certificates', 'json'),
  certificateStatistics: route('GET', '/api/v1/certificates/statistics', 'json'),
  certificateStatisticsCsv: route('GET', '/api/v1/certificates/statistics.csv', 'text'),
  reprintCertificate: route('POST', '/api/v1/certificates/{issue_no}/reprint', 'pdf'),
  // Statistics (統計) and the 対応履歴 export (admins)
  caseStatistics: route('GET', '/api/v1/admin/statistics', 'json'),
  caseStatisticsCsv: route('GET', '/api/v1/admin/statistics.csv', 'text'),
  caseHistoryCsv: route('GET', '/api/v1/admin/case-history.csv', 'text'),
  // Core-system linkage (admins)
  linkageStatus: route('GET', '/api/v1/linkage/status', 'json'),
  exportLinkage: route('POST', '/api/v1/linkage/export', 'json'),
  confirmLinkage: route('POST', '/api/v1/linkage/confirm', 'json'),
  // Terminal enrollment (admins)
  terminals: route('GET', '/api/v1/admin/terminals', 'json'),
  enrollTerminal: route('PUT', '/api/v1/admin/terminals/{id}', 'json'),
  removeTerminal: route('DELETE', '/api/v1/admin/terminals/{id}', 'none'),
  setCounterBrowser: route('PUT', '/api/v1/admin/counters/{code}/browser', 'json'),
  // Accounts, groups, counters (admins)
  users: route('GET', '/api/v1/admin/users', 'json'),
  createUser: route('POST', '/api/v1/admin/users', 'json'),
  editUser: route('PUT', '/api/v1/admin/users/{login}', 'json'),
  unlockUser: route('POST', '/api/v1/admin/users/{login}/unlock', 'none'),
  resetPassword: route('POST', '/api/v1/admin/users/{login}/password-reset', 'json'),
  importUsers: route('POST', '/api/v1/admin/users/import', 'json'),
  exportUsers: route('GET', '/api/v1/admin/users.csv', 'text'),
  permissions: route('GET', '/api/v1/admin/permissions', 'json'),
  groups: route('GET', '/api/v1/admin/groups', 'json'),
  putGroup: route('PUT', '/api/v1/admin/groups/{code}', 'none'),
  counterSetups: route('GET', '/api/v1/admin/counters', 'json'),
  putCounter: route('PUT', '/api/v1/admin/counters/{code}', 'none'),
  // Fees and the memo's 定型文 (admins)
  feeSettings: route('GET', '/api/v1/admin/fees', 'json'),
  saveFeeSettings: route('PUT', '/api/v1/admin/fees', 'json'),
  memoPhrases: route('GET', '/api/v1/admin/memo-phrases', 'json'),
  saveMemoPhrases: route('PUT', '/api/v1/admin/memo-phrases', 'json'),
  // 手続きナビ editor (admins)
  navigationEditor: route('GET', '/api/v1/admin/navigation/editor', 'json'),
  navigationTranslationGaps: route('GET', '/api/v1/admin/navigation/translations', 'json'),
  checkNavigationDraft: route('POST', '/api/v1/admin/navigation/check', 'json'),
  tryNavigationDraft: route('POST', '/api/v1/admin/navigation/trial', 'json'),
  saveNavigationDraft: route('PUT', '/api/v1/admin/navigation/draft', 'json'),
  publishNavigationDraft: route('POST', '/api/v1/admin/navigation/publish', 'json'),
  // 証明書の設定: the mayor line and the 公印 (admins)
  certificateSettings: route('GET', '/api/v1/admin/certificate-settings', 'json'),
  saveCertificateSettings: route('PUT', '/api/v1/admin/certificate-settings', 'json'),
  previewCertificate: route('POST', '/api/v1/admin/certificate-settings/preview', 'pdf'),
  counterCertificates: route('GET', '/api/v1/admin/counter-certificates', 'json'),
  saveCounterCertificates: route('PUT', '/api/v1/admin/counter-certificates', 'json'),
  // お知らせ・保守のお知らせ
  formTemplates: route('GET', '/api/v1/admin/form-templates', 'json'),
  formTemplateSource: route('GET', '/api/v1/admin/form-templates/{id}/{version}', 'json'),
  previewFormTemplate: route('POST', '/api/v1/admin/form-templates/preview', 'json'),
  publishFormTemplate: route('POST', '/api/v1/admin/form-templates/publish', 'json'),
  portalApplications: route('GET', '/api/v1/portal/applications', 'json'),
  portalApplication: route('GET', '/api/v1/portal/applications/{application_no}', 'json'),
  portalAttachment: route('GET', '/api/v1/portal/applications/{application_no}/attachments/{index}', 'file'),
  importPortalZip: route('POST', '/api/v1/portal/imports', 'json'),
  setPortalStatus: route('PUT', '/api/v1/portal/applications/{application_no}/status', 'json'),
  makePortalCase: route('POST', '/api/v1/portal/applications/{application_no}/case', 'json'),
  portalConnector: route('GET', '/api/v1/admin/portal/connector', 'json'),
  runPortalConnector: route('POST', '/api/v1/admin/portal/connector/run', 'json'),
  formBackgrounds: route('GET', '/api/v1/admin/form-backgrounds', 'json'),
  uploadFormBackground: route('POST', '/api/v1/admin/form-backgrounds', 'json'),
  notices: route('GET', '/api/v1/admin/notices', 'json'),
  noticeAudiences: route('GET', '/api/v1/admin/notice-audiences', 'json'),
  createNotice: route('POST', '/api/v1/admin/notices', 'json'),
  updateNotice: route('PUT', '/api/v1/admin/notices/{id}', 'json'),
  myNotices: route('GET', '/api/v1/notices', 'json'),
  markNoticeRead: route('POST', '/api/v1/notices/{id}/read', 'none'),
  maintenanceStatus: route('GET', '/api/v1/status/maintenance', 'json'),
  guide: route('POST', '/api/v1/guide/evaluate', 'json'),
  publicTowns: route('GET', '/api/v1/guide/towns', 'json'),
  signPreApplication: route('POST', '/api/v1/pre-applications/sign', 'json'),
  sendPreApplication: route('POST', '/api/v1/pre-applications/send', 'json'),
  deletePreApplication: route('POST', '/api/v1/pre-applications/{number}/delete', 'none'),
  // 監査ログ (view_audit) and 支援措置 disclosures
  auditRecords: route('GET', '/api/v1/audit/records', 'json'),
  auditRecordsCsv: route('GET', '/api/v1/audit/records.csv', 'text'),
  auditVerification: route('GET', '/api/v1/audit/verification', 'json'),
  discloseResidentAddress: route('POST', '/api/v1/residents/{atena_no}/address-disclosure', 'json'),
} as const satisfies Readonly<Record<string, Route>>;

export type RouteName = keyof typeof routes;

/** `template` with each `{name}` replaced by `params[name]`, URI-encoded. */
export function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for {${name}} of ${template}`);
    return encodeURIComponent(value);
  });
}

// --- Types of a route's request and answer, from its OpenAPI operation ----------------------------

/** The OpenAPI operation of a route. */
export type OperationOf<R> =
  R extends Route<infer P extends ApiPath, infer M extends Method, AnswerKind>
    ? NonNullable<At<paths[P], Lowercase<M>>>
    : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ParamsPart<O> = O extends { parameters: { path: infer T } } ? { params: T } : { params?: undefined };

type QueryPart<O> = O extends { parameters: { query: infer T } }
  ? { query: T }
  : O extends { parameters: { query?: infer T } }
    ? [T] extends [undefined]
      ? { query?: undefined }
      : { query?: T }
    : { query?: undefined };

type BodyPart<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? { body: B }
  : O extends { requestBody?: infer RB }
    ? [NonNullable<RB>] extends [never]
      ? { body?: undefined }
      : NonNullable<RB> extends { content: { 'application/json': infer B } }
        ? { body?: B }
        : { body?: undefined }
    : { body?: undefined };

/** What a call of route `R` sends: its path parameters, query and JSON body as the operation has them. */
export type RouteRequest<R> = Simplify<
  ParamsPart<OperationOf<R>> & QueryPart<OperationOf<R>> & BodyPart<OperationOf<R>> & { signal?: AbortSignal }
>;

/** The body of a successful (2xx) JSON answer of operation `O`. */
type JsonAnswer<O> = O extends { responses: infer Rs }
  ? {
      [S in keyof Rs]: S extends 200 | 201 | 202
        ? Rs[S] extends { content: { 'application/json': infer T } }
          ? T
          : never
        : never;
    }[keyof Rs]
  : never;

/** What a call of route `R` resolves to. */
export type RouteAnswer<R> =
  R extends Route<ApiPath, Method, infer A>
    ? A extends 'pdf'
      ? PrintedPdf
      : A extends 'file'
        ? Blob
      : A extends 'none'
        ? void
        : A extends 'text'
          ? string
          : JsonAnswer<OperationOf<R>>
    : never;
