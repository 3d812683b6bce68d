import type {
  AuditQuery,
  AuditSearchResult,
  AuditVerification,
  DisclosureView,
  CaseDisclosureView,
  CertificateSettingsView,
  PutCertificateSettings,
  CounterCertificatesView,
  OwnCounterCertificates,
  PutCounterCertificates,
  CertificateHistoryQuery,
  CertificateListItem,
  CertificateStatistics,
  CaseStatistics,
  CertificateVerification,
  StationAction,
  StationHoursView,
  PrintClaim,
  IssuanceRules,
  StationSetupInput,
  StationSetupView,
  StationSetupsView,
  StationIdentity,
  StationRequestView,
  StationStatus,
  IssueCertificatesRequest,
  IssuedCertificate,
  CaseQuery,
  CaseSummary,
  CaseView,
  CaseVocabulary,
  ConfirmRequest,
  ConfirmResult,
  CounterView,
  EvaluateRequest,
  EvaluateResponse,
  ExportResult,
  FeeTableView,
  HouseholdView,
  IncomingMoveView,
  LinkageStatus,
  LoginRequest,
  LoginResponse,
  PrintCase,
  PrintRequest,
  ProcedureView,
  QuoteRequest,
  QuoteResponse,
  ResidentQuery,
  ResidentView,
  PreApplicationView,
  KioskPreApplication,
  KioskPreApplicationRequest,
  ResolvedQr,
  SaveCase,
  SearchResponse,
  SessionUser,
  TownView,
  CounterAccessView,
  TerminalRegistration,
  TerminalsView,
  TerminalView,
  UserView,
  NewUserRequest,
  UserEditRequest,
  TemporaryPassword,
  StaffUploadRequest,
  StaffUploadReport,
  PermissionView,
  GroupView,
  GroupRequest,
  CounterSetupView,
  CounterRequest,
  PasswordChange,
  FeeSettings,
  MemoPhrases,
  NavigationEditorView,
  LocalCatalog,
  DraftCheck,
  TrialRequest,
  TrialResponse,
  SaveDraftRequest,
  PublishDraftRequest,
  RevisionView,
  MyNoticeView,
  NoticeAudienceView,
  NoticeInput,
  NoticeView,
  PreviewRequest,
  FormBackgroundView,
  GuideResponse,
  TranslationGaps,
  BackgroundUpload,
  PreviewView,
  PublishRequest,
  TemplateSource,
  TemplateView,
  PublicMaintenanceView,
  PortalApplicationList,
  PortalApplicationView,
  PortalImportView,
  PortalListItem,
  PortalStatusInput,
  PortalConnectorView,
  ArrivalDetailView,
  ArrivalView,
  PrepareResult,
  PreApplicationEntries,
  SentPreApplication,
  SignedPreApplication,
} from '../api/types';
import { t, type MessageKey } from '../i18n';
import type { TerminalApi, TerminalErrorCode } from './terminal';

export type { CaseQuery, ResidentQuery };
export type * from './terminal';

/** A rendered print job. */
export interface PrintedPdf {
  pdf: Blob;
  pages: number;
  /**
   * 発行番号 of the certificates in the PDF (header `x-madoguchi-issue-numbers`), when the server
   * sent them; absent for other PDFs, and in the desktop app (its `api_pdf` carries no headers).
   */
  issueNumbers?: string[];
}

/**
 * The one gateway of the UI to the server and to devices. Screens never call `fetch` or Tauri IPC
 * themselves: they get a `Backend` from `useBackend()`. Implementations: `HttpBackend` (browser,
 * served by the API server) and `TauriBackend` (desktop app, `tauri.ts`), whose server calls are the
 * ones of `ServerBackend` (`server.ts`) over the route table (`routes.ts`); tests use `FakeBackend`.
 *
 * Every method rejects with a `BackendError`, except that a request cancelled through its
 * `AbortSignal` rejects with the platform's `AbortError` (see `isAbortError`).
 */
export interface Backend {
  /**
   * The terminal's runtime and devices (card reader, printers, outbox, kiosk) — only in the
   * desktop app; `undefined` in a browser. Its methods reject with `TerminalError`.
   */
  readonly terminal?: TerminalApi;

  // --- Session -------------------------------------------------------------------------
  /** Counters (窓口) of a tenant, for the login screen. No session needed. */
  counters(tenant: string): Promise<CounterView[]>;
  /** Logs in and keeps the session token; the session survives a page reload. */
  login(req: LoginRequest): Promise<LoginResponse>;
  /** Ends the session on the server (best effort) and always forgets it locally. */
  logout(): Promise<void>;
  /** The user of the current session. */
  me(): Promise<SessionUser>;
  /** Changes the user's own password (a temporary one at the first login); the session ends. */
  changePassword(req: PasswordChange): Promise<void>;
  /** Whether a session token is held (it may still have expired on the server). */
  hasSession(): boolean;
  /** Called whenever the server rejects the held session (401); returns an unsubscribe function. */
  onUnauthorized(listener: () => void): () => void;

  // --- Residents -----------------------------------------------------------------------
  searchResidents(query: ResidentQuery, signal?: AbortSignal): Promise<SearchResponse>;
  household(householdNo: string): Promise<HouseholdView>;
  resident(atenaNo: string): Promise<ResidentView>;

  // --- 手続きナビ, fees, forms ---------------------------------------------------------
  /** 手続きナビ; with `lang` (not `ja`) texts are translated where the catalogue can (answers stay Japanese). */
  evaluate(req: EvaluateRequest, lang?: string): Promise<EvaluateResponse>;
  /** The procedure catalogue in force on `date` (default: today in Japan). */
  procedures(date?: string): Promise<ProcedureView[]>;
  quote(req: QuoteRequest): Promise<QuoteResponse>;
  /** The certificates the city issues, with fees and exemptions. */
  feeTable(): Promise<FeeTableView>;
  /** The certificates this session's counter issues (the city may restrict a counter's). */
  ownCounterCertificates(): Promise<OwnCounterCertificates>;
  /** Prints forms: resolves to the PDF. */
  printForms(req: PrintRequest): Promise<Blob>;

  // --- Cases (案件) ----------------------------------------------------------------------
  /** Creates (`revision: null`) or updates a case; a retried `write_id` is applied once. */
  saveCase(caseId: string, req: SaveCase): Promise<CaseView>;
  /** The case as the session may see it: addresses masked when it names a person under 支援措置 (`address_masked`). */
  getCase(caseId: string): Promise<CaseView>;
  /**
   * The full document of a masked case (支援措置), for the `reason` the staff member states (4–200
   * characters; audited). Needs `override_support_measure` at this counter.
   */
  discloseCase(caseId: string, reason: string): Promise<CaseDisclosureView>;
  listCases(query: CaseQuery): Promise<CaseSummary[]>;
  caseVocabulary(): Promise<CaseVocabulary>;
  /** Prints a saved case's forms and its 手続き案内書 as one PDF. */
  printCase(caseId: string, req: PrintCase): Promise<PrintedPdf>;
  /** The city's 町字 for a new address. */
  towns(): Promise<TownView[]>;
  /** What scanned Madoguchi QR symbols (camera, keyboard-wedge or serial scanner) point at. */
  resolveQr(symbols: string[]): Promise<ResolvedQr>;
  /** A resident's 事前申請 sent under a 受付番号 (typed with or without the hyphen; the read is audited). */
  preApplication(number: string): Promise<PreApplicationView>;
  /**
   * The kiosk reads a resident's 事前申請 (its entries only): the QR symbols scanned so far
   * (`qr_incomplete` while parts are missing), or its 受付番号 with the applicant's birth date (a wrong
   * date answers as an unknown number). Needs `kiosk_apply`.
   */
  kioskPreApplication(req: KioskPreApplicationRequest): Promise<KioskPreApplication>;
  /**
   * Issues the 住民票の写し of a saved case: the PDF (one certificate per copy) and the 発行番号.
   * The same `write_id` again answers the same numbers and PDF (a reprint, nothing issued twice).
   */
  issueCertificates(caseId: string, req: IssueCertificatesRequest): Promise<PrintedPdf>;
  /** What a certificate's scanned verification QR says: valid, altered, revoked or not the city's. */
  verifyCertificate(symbols: string[]): Promise<CertificateVerification>;
  /** Revokes an issued certificate for the `reason` given (audited). */
  revokeCertificate(issueNo: string, reason: string): Promise<IssuedCertificate>;
  /** The issuance stations' opening hours and the city's closed days (admins). */
  stationHours(): Promise<StationHoursView>;
  /** Sets the issuance stations' opening hours (`enabled: false`: none) and the closed days (audited). */
  saveStationHours(hours: StationHoursView): Promise<StationHoursView>;
  /** The issuance station: whether it takes requests now (JPKI ready), its offers and fees. */
  stationStatus(): Promise<StationStatus>;
  /** The issuance station: the card holder of a JPKI verification of this session, and their choices. */
  identifyAtStation(verificationId: string): Promise<StationIdentity>;
  /** Station requests of a day (default today), oldest first: staff's queue. */
  stationRequests(day?: string): Promise<StationRequestView[]>;
  /** Staff's action on a station request; the same `write_id` again changes nothing. */
  actOnStationRequest(requestId: string, action: StationAction): Promise<StationRequestView>;
  /** Automatic printing: claims the next request of a station set up for it, for this terminal. */
  claimPrintJob(): Promise<PrintClaim>;
  /** Every enrolled terminal with its station setup (admins). */
  stationSetups(): Promise<StationSetupsView>;
  /** The city's issuance rules: 支援措置 at the stations (admins). */
  issuanceRules(): Promise<IssuanceRules>;
  /** Sets the issuance rules (admins; audited). */
  saveIssuanceRules(rules: IssuanceRules): Promise<IssuanceRules>;
  /** Sets up the station on an enrolled terminal (admins; audited). */
  saveStationSetup(terminal: string, setup: StationSetupInput): Promise<StationSetupView>;
  /** Certificates issued in a period (JST days, default today), or by 発行番号: the history. */
  certificateHistory(query: CertificateHistoryQuery): Promise<CertificateListItem[]>;
  /** Counts of a period's certificates by certificate, day, hour and counter. */
  certificateStatistics(from: string, to: string): Promise<CertificateStatistics>;
  /** The same counts as CSV (UTF-8 with BOM), one row per day, hour, certificate and counter. */
  certificateStatisticsCsv(from: string, to: string): Promise<string>;
  /** The case statistics of a period, JST days (admins; audited). */
  caseStatistics(from: string, to: string): Promise<CaseStatistics>;
  /** The same figures as CSV (UTF-8 with BOM), counts under 5 written `<5` (admins; audited). */
  caseStatisticsCsv(from: string, to: string): Promise<string>;
  /** The 対応履歴 of a period as CSV, residents by 宛名番号 only (admins; audited). */
  caseHistoryCsv(from: string, to: string): Promise<string>;
  /** The same certificate printed again (same 発行番号, same sheet) for the `reason` given (audited). */
  reprintCertificate(issueNo: string, reason: string): Promise<PrintedPdf>;
  /** 転出証明書情報 received ahead of a 転入, by a member's name or kana. */
  incomingMoves(q: string, signal?: AbortSignal): Promise<IncomingMoveView[]>;

  // --- 来庁予定者 (転入予約) ---------------------------------------------------------------------
  /** The 転入予約 of a day (YYYY-MM-DD; default tomorrow), addresses through the 支援措置 gate (audited). */
  arrivals(date?: string): Promise<ArrivalView[]>;
  /** One 転入予約 with its household and the prepared case's procedures (audited). */
  arrival(noticeNo: string): Promise<ArrivalDetailView>;
  /** 「準備する」 for one 転入予約: its case made once, the procedures found, every form checked. */
  prepareArrival(noticeNo: string): Promise<PrepareResult>;
  /** 「準備する」 for every planned 転入予約 of a day. */
  prepareArrivals(date: string): Promise<PrepareResult[]>;

  // --- Core-system linkage (admins) -------------------------------------------------------
  /** Every feed's last file, errors and waiting files, and the latest outbound files. */
  linkageStatus(): Promise<LinkageStatus>;
  /** Writes the outbound files now. */
  exportLinkage(): Promise<ExportResult>;
  /**
   * Confirms a full file the linkage job holds because it would remove too much (admins only;
   * audited). The job applies it at its next poll.
   */
  confirmLinkage(req: ConfirmRequest): Promise<ConfirmResult>;

  // --- Terminal enrollment (admins) -------------------------------------------------------
  /** The enrolled terminals and every counter with its browser setting. */
  terminals(): Promise<TerminalsView>;
  /** Enrolls a terminal, or changes its key, name or counters. */
  enrollTerminal(id: string, req: TerminalRegistration): Promise<TerminalView>;
  /** Removes a terminal's enrollment (its sessions end). */
  removeTerminal(id: string): Promise<void>;
  /** Allows or refuses browser logins at a counter. */
  setCounterBrowser(code: string, allowed: boolean): Promise<CounterAccessView>;

  // --- Accounts, groups, counters (admins; each change audited) -------------------------------
  /** Every staff account of the tenant. */
  users(): Promise<UserView[]>;
  /** Creates an account; the answer holds its temporary password (shown once). */
  createUser(req: NewUserRequest): Promise<TemporaryPassword>;
  /** Edits an account on the revision read (`conflict` when someone changed it since). */
  editUser(login: string, req: UserEditRequest): Promise<UserView>;
  unlockUser(login: string): Promise<void>;
  /** Resets a password to a temporary one (to be changed at the next login). */
  resetPassword(login: string): Promise<TemporaryPassword>;
  /** Uploads a staff CSV: written as a whole, or refused with every problem. */
  importUsers(req: StaffUploadRequest): Promise<StaffUploadReport>;
  /** The accounts as a staff CSV (no passwords). */
  exportUsers(): Promise<string>;
  /** Every permission with its Japanese name and description. */
  permissions(): Promise<PermissionView[]>;
  groups(): Promise<GroupView[]>;
  /** Creates or replaces a group. */
  putGroup(code: string, req: GroupRequest): Promise<void>;
  /** Every counter with its permissions and browser setting. */
  counterSetups(): Promise<CounterSetupView[]>;
  /** Creates or replaces a counter. */
  putCounter(code: string, req: CounterRequest): Promise<void>;

  // --- Fees and the memo's 定型文 (admins; saved whole on the revision read) ---------------
  feeSettings(): Promise<FeeSettings>;
  saveFeeSettings(req: FeeSettings): Promise<FeeSettings>;
  memoPhrases(): Promise<MemoPhrases>;
  saveMemoPhrases(req: MemoPhrases): Promise<MemoPhrases>;

  // --- 手続きナビ editor (admins): the city's own procedures, checked as typed, published from a date ---
  navigationEditor(): Promise<NavigationEditorView>;
  checkNavigationDraft(draft: LocalCatalog): Promise<DraftCheck>;
  tryNavigationDraft(req: TrialRequest): Promise<TrialResponse>;
  saveNavigationDraft(req: SaveDraftRequest): Promise<RevisionView>;
  publishNavigationDraft(req: PublishDraftRequest): Promise<RevisionView>;

  // --- 証明書の設定 (admins) ------------------------------------------------------------------
  /** The city's mayor line and its 公印 (digest and size only: the image is never sent back). */
  certificateSettings(): Promise<CertificateSettingsView>;
  /** Sets the mayor line (empty: the default 「<city>長」) and puts or removes the 公印 (audited). */
  saveCertificateSettings(req: PutCertificateSettings): Promise<CertificateSettingsView>;
  /** A 見本 住民票の写し rendered with the current settings (nothing issued, no 発行番号). */
  previewCertificate(): Promise<PrintedPdf>;
  /** Which certificates each counter issues: the certificates and the counters taking requests. */
  counterCertificates(): Promise<CounterCertificatesView>;
  /** Sets which certificates each counter issues (the whole table; every item ticked: no restriction; audited). */
  saveCounterCertificates(req: PutCounterCertificates): Promise<CounterCertificatesView>;

  // --- 帳票テンプレート (admins) ----------------------------------------------------------------
  /** Every version of every form template the tenant prints with. */
  formTemplates(): Promise<TemplateView[]>;
  /** The source of one version (audited). */
  formTemplateSource(id: string, version: string): Promise<TemplateSource>;
  /** Renders a draft with sample data: the PDF and its problems (audited). */
  previewFormTemplate(req: PreviewRequest): Promise<PreviewView>;
  /** Publishes a draft as a new version from its 施行日 (audited). */
  publishFormTemplate(req: PublishRequest): Promise<TemplateView>;
  /** The background PDFs the city uploaded for its templates. */
  formBackgrounds(): Promise<FormBackgroundView[]>;
  /** Uploads a background PDF under a file name never used before (audited). */
  uploadFormBackground(req: BackgroundUpload): Promise<FormBackgroundView>;

  // --- お知らせ・保守のお知らせ ---------------------------------------------------------------
  /** マイナポータル applications (optionally of one status) with the counts of every status. */
  portalApplications(status?: string): Promise<PortalApplicationList>;
  /** One application with its candidate residents (its address through the 支援措置 gate). */
  portalApplication(applicationNo: string): Promise<PortalApplicationView>;
  /** One attached file of an application, as uploaded (audited by the server). */
  portalAttachment(applicationNo: string, index: number): Promise<Blob>;
  /** Imports a ZIP downloaded from マイナポータル's 申請管理 (base64): all of it or nothing. */
  importPortalZip(zipBase64: string): Promise<PortalImportView>;
  /** Sets an application's status (差戻し with a reason). */
  setPortalStatus(applicationNo: string, input: PortalStatusInput): Promise<PortalListItem>;
  /** Turns an application into a case about the chosen resident; the case id. */
  makePortalCase(applicationNo: string, atenaNo: string | null): Promise<{ case_id: string }>;
  /** The マイナポータル connector's state (admins). */
  portalConnector(): Promise<PortalConnectorView>;
  /** Runs a connector round now (admins); its state after, a failure included. */
  runPortalConnector(): Promise<PortalConnectorView>;
  /** The tenant's notices, the latest start first (admins). */
  notices(): Promise<NoticeView[]>;
  /** The groups and counters a notice may address (admins). */
  noticeAudiences(): Promise<NoticeAudienceView[]>;
  /** Posts a notice (admins; audited). */
  createNotice(input: NoticeInput): Promise<NoticeView>;
  /** Edits a notice on `input.revision` (a stale revision: `conflict`); ending early is an edit of its end. */
  updateNotice(id: string, input: NoticeInput): Promise<NoticeView>;
  /** The notices shown now to the logged-in user, with whether they have read each. */
  myNotices(): Promise<MyNoticeView[]>;
  /** Marks a notice read by the logged-in user (audited). */
  markNoticeRead(id: string): Promise<void>;
  /** The maintenance notices shown now for `tenant` (no session needed: status page, kiosks, stations). */
  maintenanceStatus(tenant: string): Promise<PublicMaintenanceView[]>;
  /** The public 手続きガイド: the procedures of a life event for a household described by ages (no login). */
  guide(tenant: string, req: EvaluateRequest, lang?: string): Promise<GuideResponse>;
  /** Per language, the texts of the tenant's 手続きナビ catalogue shown in Japanese for want of a translation. */
  navigationTranslationGaps(): Promise<TranslationGaps>;
  /** The city's 町字 with postcodes, for the resident's phone app (no login). */
  publicTowns(tenant: string): Promise<TownView[]>;
  /** The resident's 事前申請 signed into QR symbols (no login; nothing stored). */
  signPreApplication(tenant: string, entries: PreApplicationEntries): Promise<SignedPreApplication>;
  /** The resident's 事前申請 kept 30 days under a 受付番号 (no login; a retry with `writeId` is the same send). */
  sendPreApplication(tenant: string, writeId: string, entries: PreApplicationEntries): Promise<SentPreApplication>;
  /** Deletes a sent 事前申請: its 受付番号 and the applicant's birth date (no login). */
  deletePreApplication(tenant: string, number: string, birth: string): Promise<void>;
  // --- Audit log (監査ログ, view_audit) and 支援措置 disclosures ---------------------------------
  /** One page (50, newest first) of the tenant's audit records matching the query (audited). */
  auditRecords(query: AuditQuery): Promise<AuditSearchResult>;
  /** The same search as CSV (UTF-8, oldest first, formulas neutralised; audited). */
  auditRecordsCsv(query: AuditQuery): Promise<string>;
  /** Verifies the audit hash chain and reads the latest external checkpoint (audited). */
  auditVerification(): Promise<AuditVerification>;
  /**
   * A resident's address under 支援措置, for the `reason` the staff member states (4–200 characters;
   * audited). Needs `override_support_measure` at this counter.
   */
  discloseResidentAddress(atenaNo: string, reason: string): Promise<DisclosureView>;

  // --- Later methods (admin, audit, imports, address disclosure, devices …) go here, ------
  // --- typed with aliases from `../api/types`, and are implemented in every Backend: a ----
  // --- server call gets its route in `routes.ts` and is written once in `server.ts`. ------
}

export type BackendErrorKind =
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'validation'
  | 'not_found'
  | 'conflict'
  | 'server';

/**
 * A failed backend call. `message` is for the user, in Japanese: the server's own message when
 * it sent one (`{"error":{"code","message"}}`), otherwise a default for the kind.
 */
export class BackendError extends Error {
  readonly kind: BackendErrorKind;
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's stable machine-readable code (`invalid_birth`, …), or the kind when none. */
  readonly code: string;

  constructor(kind: BackendErrorKind, options: { status?: number; code?: string; message?: string } = {}) {
    super(options.message || t(`error.${kind}` satisfies MessageKey));
    this.name = 'BackendError';
    this.kind = kind;
    this.status = options.status ?? 0;
    this.code = options.code || kind;
  }
}

/**
 * A failed terminal command (desktop app): the runtime's stable `code`, its Japanese `message`,
 * and any further fields it sent (`tries_left` …) in `extra`.
 */
export class TerminalError extends Error {
  readonly code: TerminalErrorCode | (string & {});
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: string, message?: string, extra: Record<string, unknown> = {}) {
    super(message || t('terminal.error'));
    this.name = 'TerminalError';
    this.code = code;
    this.extra = extra;
  }

  /** PIN tries left, when the runtime said (`wrong_pin`, `last_try`). */
  get triesLeft(): number | null {
    const n = this.extra.tries_left;
    return typeof n === 'number' && Number.isFinite(n) ? n : null;
  }
}

/** HTTP status → error kind. */
export function kindForStatus(status: number): BackendErrorKind {
  if (status === 401) return 'unauthorized';
  // 423 (account locked) and 429 (too many attempts) are refusals that retrying will not fix.
  if (status === 403 || status === 423 || status === 429) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status >= 500) return 'server';
  return 'validation'; // 400, 422 and any other client error
}

/** True for the rejection of a request cancelled through its AbortSignal. */
export function isAbortError(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError'
  );
}

/** The text to show the user for any error a backend call rejected with. */
export function errorMessage(error: unknown): string {
  return error instanceof BackendError || error instanceof TerminalError ? error.message : t('error.server');
}
