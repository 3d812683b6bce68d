// The server operations of the `Backend` interface, written once over a `Transport` and the route
// table (`routes.ts`). HttpBackend and TauriBackend extend `ServerBackend`: each brings its transport
// and keeps its session its own way (a bearer token; the runtime's session flag), and TauriBackend
// overrides what its runtime owns (`saveCase` through the outbox) and adds `terminal`.
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
  IssuanceRules,
  PrintClaim,
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
  CounterAccessView,
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
  ResidentView,
  PreApplicationView,
  KioskPreApplication,
  KioskPreApplicationRequest,
  ResolvedQr,
  SaveCase,
  SearchResponse,
  SessionUser,
  TerminalRegistration,
  TerminalsView,
  TerminalView,
  TownView,
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
import { BackendError, type Backend, type PrintedPdf, type ResidentQuery } from './Backend';
import { routes, type Route, type RouteAnswer, type RouteRequest } from './routes';
import type { RequestParts, Transport } from './transport';

/** The request argument of `send`: optional when the route needs no part of it. */
type RequestArgs<R> = object extends RouteRequest<R> ? [request?: RouteRequest<R>] : [request: RouteRequest<R>];

export abstract class ServerBackend implements Backend {
  /** How this backend reaches the server. */
  protected abstract readonly transport: Transport;
  private readonly unauthorizedListeners = new Set<() => void>();

  // --- Session (kept by the subclass) ---------------------------------------------------------

  abstract hasSession(): boolean;
  /** Keeps the session a successful login started. */
  protected abstract sessionStarted(response: LoginResponse): void;
  /** Forgets the session locally. */
  protected abstract sessionEnded(): void;

  counters(tenant: string): Promise<CounterView[]> {
    return this.send(routes.counters, { query: { tenant } });
  }

  async login(req: LoginRequest): Promise<LoginResponse> {
    const res = await this.send(routes.login, { body: req });
    this.sessionStarted(res);
    return res;
  }

  async logout(): Promise<void> {
    if (!this.hasSession()) return;
    try {
      await this.send(routes.logout);
    } catch {
      // The server (or the runtime) forgets the session when it expires; locally it ends now in any case.
    } finally {
      this.sessionEnded();
    }
  }

  async changePassword(req: PasswordChange): Promise<void> {
    await this.send(routes.changePassword, { body: req });
  }

  me(): Promise<SessionUser> {
    return this.send(routes.me);
  }

  onUnauthorized(listener: () => void): () => void {
    this.unauthorizedListeners.add(listener);
    return () => this.unauthorizedListeners.delete(listener);
  }

  // --- Residents ------------------------------------------------------------------------------

  searchResidents(query: ResidentQuery, signal?: AbortSignal): Promise<SearchResponse> {
    return this.send(routes.searchResidents, { query: { ...query }, signal });
  }

  household(householdNo: string): Promise<HouseholdView> {
    return this.send(routes.household, { params: { household_no: householdNo } });
  }

  resident(atenaNo: string): Promise<ResidentView> {
    return this.send(routes.resident, { params: { atena_no: atenaNo } });
  }

  // --- 手続きナビ, fees, forms ------------------------------------------------------------------

  evaluate(req: EvaluateRequest, lang?: string): Promise<EvaluateResponse> {
    return this.send(routes.evaluate, { body: req, ...(lang && lang !== 'ja' ? { query: { lang } } : {}) });
  }

  procedures(date?: string): Promise<ProcedureView[]> {
    // The server reads `date` from the query string.
    return this.send(routes.procedures, { query: { date } });
  }

  quote(req: QuoteRequest): Promise<QuoteResponse> {
    return this.send(routes.quote, { body: req });
  }

  feeTable(): Promise<FeeTableView> {
    return this.send(routes.feeTable);
  }

  ownCounterCertificates(): Promise<OwnCounterCertificates> {
    return this.send(routes.ownCounterCertificates);
  }

  async printForms(req: PrintRequest): Promise<Blob> {
    return (await this.send(routes.printForms, { body: req })).pdf;
  }

  // --- Cases ----------------------------------------------------------------------------------

  saveCase(caseId: string, req: SaveCase): Promise<CaseView> {
    return this.send(routes.saveCase, { params: { case_id: caseId }, body: req });
  }

  getCase(caseId: string): Promise<CaseView> {
    return this.send(routes.getCase, { params: { case_id: caseId } });
  }

  discloseCase(caseId: string, reason: string): Promise<CaseDisclosureView> {
    return this.send(routes.discloseCase, { params: { case_id: caseId }, body: { reason } });
  }

  listCases(query: CaseQuery): Promise<CaseSummary[]> {
    return this.send(routes.listCases, { query: { ...query } });
  }

  caseVocabulary(): Promise<CaseVocabulary> {
    return this.send(routes.caseVocabulary);
  }

  printCase(caseId: string, req: PrintCase): Promise<PrintedPdf> {
    return this.send(routes.printCase, { params: { case_id: caseId }, body: req });
  }

  towns(): Promise<TownView[]> {
    return this.send(routes.towns);
  }

  resolveQr(symbols: string[]): Promise<ResolvedQr> {
    return this.send(routes.resolveQr, { body: { symbols } });
  }

  preApplication(number: string): Promise<PreApplicationView> {
    return this.send(routes.preApplication, { params: { number } });
  }

  kioskPreApplication(req: KioskPreApplicationRequest): Promise<KioskPreApplication> {
    return this.send(routes.kioskPreApplication, { body: req });
  }

  incomingMoves(q: string, signal?: AbortSignal): Promise<IncomingMoveView[]> {
    return this.send(routes.incomingMoves, { query: { q }, signal });
  }

  // --- 来庁予定者 (転入予約) ---------------------------------------------------------------------

  arrivals(date?: string): Promise<ArrivalView[]> {
    return this.send(routes.arrivals, { query: date ? { date } : {} });
  }

  arrival(noticeNo: string): Promise<ArrivalDetailView> {
    return this.send(routes.arrival, { params: { notice_no: noticeNo } });
  }

  prepareArrival(noticeNo: string): Promise<PrepareResult> {
    return this.send(routes.prepareArrival, { params: { notice_no: noticeNo } });
  }

  prepareArrivals(date: string): Promise<PrepareResult[]> {
    return this.send(routes.prepareArrivals, { query: { date } });
  }

  // --- 証明書の発行・確認 -----------------------------------------------------------------------

  issueCertificates(caseId: string, req: IssueCertificatesRequest): Promise<PrintedPdf> {
    return this.send(routes.issueCertificates, { params: { case_id: caseId }, body: req });
  }

  verifyCertificate(symbols: string[]): Promise<CertificateVerification> {
    return this.send(routes.verifyCertificate, { body: { symbols } });
  }

  revokeCertificate(issueNo: string, reason: string): Promise<IssuedCertificate> {
    return this.send(routes.revokeCertificate, { params: { issue_no: issueNo }, body: { reason } });
  }

  certificateHistory(query: CertificateHistoryQuery): Promise<CertificateListItem[]> {
    return this.send(routes.certificateHistory, { query });
  }

  certificateStatistics(from: string, to: string): Promise<CertificateStatistics> {
    return this.send(routes.certificateStatistics, { query: { from, to } });
  }

  certificateStatisticsCsv(from: string, to: string): Promise<string> {
    return this.send(routes.certificateStatisticsCsv, { query: { from, to } });
  }

  caseStatistics(from: string, to: string): Promise<CaseStatistics> {
    return this.send(routes.caseStatistics, { query: { from, to } });
  }

  caseStatisticsCsv(from: string, to: string): Promise<string> {
    return this.send(routes.caseStatisticsCsv, { query: { from, to } });
  }

  caseHistoryCsv(from: string, to: string): Promise<string> {
    return this.send(routes.caseHistoryCsv, { query: { from, to } });
  }

  reprintCertificate(issueNo: string, reason: string): Promise<PrintedPdf> {
    return this.send(routes.reprintCertificate, { params: { issue_no: issueNo }, body: { reason } });
  }

  stationHours(): Promise<StationHoursView> {
    return this.send(routes.stationHours);
  }

  saveStationHours(hours: StationHoursView): Promise<StationHoursView> {
    return this.send(routes.saveStationHours, { body: hours });
  }

  issuanceRules(): Promise<IssuanceRules> {
    return this.send(routes.issuanceRules);
  }

  saveIssuanceRules(rules: IssuanceRules): Promise<IssuanceRules> {
    return this.send(routes.saveIssuanceRules, { body: rules });
  }

  stationStatus(): Promise<StationStatus> {
    return this.send(routes.stationStatus);
  }

  identifyAtStation(verificationId: string): Promise<StationIdentity> {
    return this.send(routes.identifyAtStation, { body: { verification_id: verificationId } });
  }

  stationRequests(day?: string): Promise<StationRequestView[]> {
    return this.send(routes.stationRequests, { query: day ? { day } : {} });
  }

  actOnStationRequest(requestId: string, action: StationAction): Promise<StationRequestView> {
    return this.send(routes.actOnStationRequest, { params: { request_id: requestId }, body: action });
  }

  claimPrintJob(): Promise<PrintClaim> {
    return this.send(routes.claimPrintJob);
  }

  stationSetups(): Promise<StationSetupsView> {
    return this.send(routes.stationSetups);
  }

  saveStationSetup(terminal: string, setup: StationSetupInput): Promise<StationSetupView> {
    return this.send(routes.saveStationSetup, { params: { terminal }, body: setup });
  }

  // --- Core-system linkage (admins) -----------------------------------------------------------

  linkageStatus(): Promise<LinkageStatus> {
    return this.send(routes.linkageStatus);
  }

  exportLinkage(): Promise<ExportResult> {
    return this.send(routes.exportLinkage);
  }

  confirmLinkage(req: ConfirmRequest): Promise<ConfirmResult> {
    return this.send(routes.confirmLinkage, { body: req });
  }

  // --- Terminal enrollment (admins) -----------------------------------------------------------

  terminals(): Promise<TerminalsView> {
    return this.send(routes.terminals);
  }

  enrollTerminal(id: string, req: TerminalRegistration): Promise<TerminalView> {
    return this.send(routes.enrollTerminal, { params: { id }, body: req });
  }

  async removeTerminal(id: string): Promise<void> {
    await this.send(routes.removeTerminal, { params: { id } });
  }

  setCounterBrowser(code: string, allowed: boolean): Promise<CounterAccessView> {
    return this.send(routes.setCounterBrowser, { params: { code }, body: { allowed } });
  }

  // --- Accounts, groups, counters (admins) ---------------------------------------------------

  users(): Promise<UserView[]> {
    return this.send(routes.users);
  }

  createUser(req: NewUserRequest): Promise<TemporaryPassword> {
    return this.send(routes.createUser, { body: req });
  }

  editUser(login: string, req: UserEditRequest): Promise<UserView> {
    return this.send(routes.editUser, { params: { login }, body: req });
  }

  async unlockUser(login: string): Promise<void> {
    await this.send(routes.unlockUser, { params: { login } });
  }

  resetPassword(login: string): Promise<TemporaryPassword> {
    return this.send(routes.resetPassword, { params: { login } });
  }

  importUsers(req: StaffUploadRequest): Promise<StaffUploadReport> {
    return this.send(routes.importUsers, { body: req });
  }

  exportUsers(): Promise<string> {
    return this.send(routes.exportUsers);
  }

  permissions(): Promise<PermissionView[]> {
    return this.send(routes.permissions);
  }

  groups(): Promise<GroupView[]> {
    return this.send(routes.groups);
  }

  async putGroup(code: string, req: GroupRequest): Promise<void> {
    await this.send(routes.putGroup, { params: { code }, body: req });
  }

  counterSetups(): Promise<CounterSetupView[]> {
    return this.send(routes.counterSetups);
  }

  async putCounter(code: string, req: CounterRequest): Promise<void> {
    await this.send(routes.putCounter, { params: { code }, body: req });
  }

  // --- Fees and the memo's 定型文 (admins) ----------------------------------------------------

  feeSettings(): Promise<FeeSettings> {
    return this.send(routes.feeSettings);
  }

  saveFeeSettings(req: FeeSettings): Promise<FeeSettings> {
    return this.send(routes.saveFeeSettings, { body: req });
  }

  memoPhrases(): Promise<MemoPhrases> {
    return this.send(routes.memoPhrases);
  }

  saveMemoPhrases(req: MemoPhrases): Promise<MemoPhrases> {
    return this.send(routes.saveMemoPhrases, { body: req });
  }

  // --- 手続きナビ editor (admins) ---------------------------------------------------------------

  navigationEditor(): Promise<NavigationEditorView> {
    return this.send(routes.navigationEditor);
  }

  checkNavigationDraft(draft: LocalCatalog): Promise<DraftCheck> {
    return this.send(routes.checkNavigationDraft, { body: { draft } });
  }

  tryNavigationDraft(req: TrialRequest): Promise<TrialResponse> {
    return this.send(routes.tryNavigationDraft, { body: req });
  }

  saveNavigationDraft(req: SaveDraftRequest): Promise<RevisionView> {
    return this.send(routes.saveNavigationDraft, { body: req });
  }

  publishNavigationDraft(req: PublishDraftRequest): Promise<RevisionView> {
    return this.send(routes.publishNavigationDraft, { body: req });
  }

  // --- 証明書の設定 (admins) ------------------------------------------------------------------

  certificateSettings(): Promise<CertificateSettingsView> {
    return this.send(routes.certificateSettings);
  }

  saveCertificateSettings(req: PutCertificateSettings): Promise<CertificateSettingsView> {
    return this.send(routes.saveCertificateSettings, { body: req });
  }

  previewCertificate(): Promise<PrintedPdf> {
    return this.send(routes.previewCertificate);
  }

  counterCertificates(): Promise<CounterCertificatesView> {
    return this.send(routes.counterCertificates);
  }

  saveCounterCertificates(req: PutCounterCertificates): Promise<CounterCertificatesView> {
    return this.send(routes.saveCounterCertificates, { body: req });
  }

  // --- 帳票テンプレート ------------------------------------------------------------------------

  formTemplates(): Promise<TemplateView[]> {
    return this.send(routes.formTemplates);
  }

  formTemplateSource(id: string, version: string): Promise<TemplateSource> {
    return this.send(routes.formTemplateSource, { params: { id, version } });
  }

  previewFormTemplate(req: PreviewRequest): Promise<PreviewView> {
    return this.send(routes.previewFormTemplate, { body: req });
  }

  publishFormTemplate(req: PublishRequest): Promise<TemplateView> {
    return this.send(routes.publishFormTemplate, { body: req });
  }

  formBackgrounds(): Promise<FormBackgroundView[]> {
    return this.send(routes.formBackgrounds);
  }

  uploadFormBackground(req: BackgroundUpload): Promise<FormBackgroundView> {
    return this.send(routes.uploadFormBackground, { body: req });
  }

  // --- お知らせ・保守のお知らせ ---------------------------------------------------------------

  portalApplications(status?: string): Promise<PortalApplicationList> {
    return this.send(routes.portalApplications, { query: { status } });
  }

  portalApplication(applicationNo: string): Promise<PortalApplicationView> {
    return this.send(routes.portalApplication, { params: { application_no: applicationNo } });
  }

  portalAttachment(applicationNo: string, index: number): Promise<Blob> {
    return this.send(routes.portalAttachment, { params: { application_no: applicationNo, index } });
  }

  importPortalZip(zipBase64: string): Promise<PortalImportView> {
    return this.send(routes.importPortalZip, { body: { zip_base64: zipBase64 } });
  }

  setPortalStatus(applicationNo: string, input: PortalStatusInput): Promise<PortalListItem> {
    return this.send(routes.setPortalStatus, { params: { application_no: applicationNo }, body: input });
  }

  makePortalCase(applicationNo: string, atenaNo: string | null): Promise<{ case_id: string }> {
    return this.send(routes.makePortalCase, {
      params: { application_no: applicationNo },
      body: { atena_no: atenaNo },
    });
  }

  portalConnector(): Promise<PortalConnectorView> {
    return this.send(routes.portalConnector);
  }

  runPortalConnector(): Promise<PortalConnectorView> {
    return this.send(routes.runPortalConnector);
  }

  notices(): Promise<NoticeView[]> {
    return this.send(routes.notices);
  }

  noticeAudiences(): Promise<NoticeAudienceView[]> {
    return this.send(routes.noticeAudiences);
  }

  createNotice(input: NoticeInput): Promise<NoticeView> {
    return this.send(routes.createNotice, { body: input });
  }

  updateNotice(id: string, input: NoticeInput): Promise<NoticeView> {
    return this.send(routes.updateNotice, { params: { id }, body: input });
  }

  myNotices(): Promise<MyNoticeView[]> {
    return this.send(routes.myNotices);
  }

  async markNoticeRead(id: string): Promise<void> {
    await this.send(routes.markNoticeRead, { params: { id } });
  }

  maintenanceStatus(tenant: string): Promise<PublicMaintenanceView[]> {
    return this.send(routes.maintenanceStatus, { query: { tenant } });
  }

  guide(tenant: string, req: EvaluateRequest, lang?: string): Promise<GuideResponse> {
    return this.send(routes.guide, { query: lang && lang !== 'ja' ? { tenant, lang } : { tenant }, body: req });
  }

  navigationTranslationGaps(): Promise<TranslationGaps> {
    return this.send(routes.navigationTranslationGaps);
  }

  publicTowns(tenant: string): Promise<TownView[]> {
    return this.send(routes.publicTowns, { query: { tenant } });
  }

  signPreApplication(tenant: string, entries: PreApplicationEntries): Promise<SignedPreApplication> {
    return this.send(routes.signPreApplication, { query: { tenant }, body: { entries } });
  }

  sendPreApplication(tenant: string, writeId: string, entries: PreApplicationEntries): Promise<SentPreApplication> {
    return this.send(routes.sendPreApplication, { query: { tenant }, body: { write_id: writeId, entries } });
  }

  deletePreApplication(tenant: string, number: string, birth: string): Promise<void> {
    return this.send(routes.deletePreApplication, { params: { number }, query: { tenant }, body: { birth } });
  }

  // --- Audit log and 支援措置 disclosures ----------------------------------------------------------

  auditRecords(query: AuditQuery): Promise<AuditSearchResult> {
    return this.send(routes.auditRecords, { query });
  }

  auditRecordsCsv(query: AuditQuery): Promise<string> {
    return this.send(routes.auditRecordsCsv, { query });
  }

  auditVerification(): Promise<AuditVerification> {
    return this.send(routes.auditVerification);
  }

  discloseResidentAddress(atenaNo: string, reason: string): Promise<DisclosureView> {
    return this.send(routes.discloseResidentAddress, { params: { atena_no: atenaNo }, body: { reason } });
  }

  // --- plumbing -------------------------------------------------------------------------------

  /** Sends one request of `route` through the transport (see `guard` for a 401). */
  protected send<R extends Route>(route: R, ...[request]: RequestArgs<R>): Promise<RouteAnswer<R>> {
    return this.guard(() => this.transport.send(route, (request ?? {}) as RequestParts)) as Promise<RouteAnswer<R>>;
  }

  /**
   * Runs a server call. A 401 (`unauthorized`) while a session was held when the call started ends
   * the session, and tells the app (`onUnauthorized`).
   */
  protected async guard<T>(call: () => Promise<T>): Promise<T> {
    const heldSession = this.hasSession();
    try {
      return await call();
    } catch (error) {
      if (error instanceof BackendError && error.kind === 'unauthorized' && heldSession) {
        this.sessionEnded();
        for (const listener of [...this.unauthorizedListeners]) listener();
      }
      throw error;
    }
  }
}
