import type {
  AuditQuery,
  AuditSearchResult,
  AuditVerification,
  DisclosureView,
  ConfirmRequest,
  ConfirmResult,
  ExportResult,
  LinkageStatus,
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
  CounterView,
  FeeTableView,
  IncomingMoveView,
  PrintCase,
  SaveCase,
  TownView,
  EvaluateRequest,
  EvaluateResponse,
  HouseholdView,
  LoginRequest,
  LoginResponse,
  PrintRequest,
  ProcedureView,
  QuoteRequest,
  QuoteResponse,
  PreApplicationView,
  KioskPreApplication,
  KioskPreApplicationRequest,
  ResolvedQr,
  ResidentView,
  SearchResponse,
  SessionUser,
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
import { BackendError, type Backend, type PrintedPdf, type ResidentQuery } from '../backend/Backend';
import type { FakeTerminal } from './FakeTerminal';
import { demoCounters, demoUser } from './fixtures';

/** Handlers a test supplies for the methods it is about. */
export type FakeHandlers = Partial<
  Omit<Backend, 'hasSession' | 'onUnauthorized' | 'logout' | 'terminal'>
>;

/**
 * A `Backend` for component tests: every call is recorded in `calls`; methods without a handler
 * answer demo data (counters, me) or reject with a `not_stubbed` error. Pass a `FakeTerminal` to
 * play the desktop app (kiosk, staff status strip); without one it is a browser.
 */
export class FakeBackend implements Backend {
  readonly calls: Array<{ method: keyof Backend; args: unknown[] }> = [];
  session = false;
  readonly terminal?: FakeTerminal;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly handlers: FakeHandlers = {},
    options: { terminal?: FakeTerminal } = {},
  ) {
    this.terminal = options.terminal;
  }

  private record(method: keyof Backend, args: unknown[]): void {
    this.calls.push({ method, args });
  }

  /** The arguments of every call of `method`, oldest first. */
  callsOf(method: keyof Backend): unknown[][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  /** Simulates the server rejecting the session. */
  expireSession(): void {
    this.session = false;
    for (const listener of [...this.listeners]) listener();
  }

  counters(tenant: string): Promise<CounterView[]> {
    this.record('counters', [tenant]);
    return this.handlers.counters?.(tenant) ?? Promise.resolve(demoCounters);
  }

  async login(req: LoginRequest): Promise<LoginResponse> {
    this.record('login', [req]);
    const res = await (this.handlers.login?.(req) ??
      Promise.resolve({ token: 'fake-token', expires_at: '2099-01-01T00:00:00Z', user: demoUser }));
    this.session = true;
    return res;
  }

  async logout(): Promise<void> {
    this.record('logout', []);
    this.session = false;
  }

  changePassword(req: PasswordChange): Promise<void> {
    this.record('changePassword', [req]);
    return this.handlers.changePassword?.(req) ?? notStubbed('changePassword');
  }

  me(): Promise<SessionUser> {
    this.record('me', []);
    return this.handlers.me?.() ?? Promise.resolve(demoUser);
  }

  hasSession(): boolean {
    return this.session;
  }

  onUnauthorized(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  searchResidents(query: ResidentQuery, signal?: AbortSignal): Promise<SearchResponse> {
    this.record('searchResidents', [query, signal]);
    return this.handlers.searchResidents?.(query, signal) ?? notStubbed('searchResidents');
  }

  household(householdNo: string): Promise<HouseholdView> {
    this.record('household', [householdNo]);
    return this.handlers.household?.(householdNo) ?? notStubbed('household');
  }

  resident(atenaNo: string): Promise<ResidentView> {
    this.record('resident', [atenaNo]);
    return this.handlers.resident?.(atenaNo) ?? notStubbed('resident');
  }

  evaluate(req: EvaluateRequest, lang?: string): Promise<EvaluateResponse> {
    this.record('evaluate', lang ? [req, lang] : [req]);
    return this.handlers.evaluate?.(req, lang) ?? notStubbed('evaluate');
  }

  procedures(date?: string): Promise<ProcedureView[]> {
    this.record('procedures', [date]);
    return this.handlers.procedures?.(date) ?? notStubbed('procedures');
  }

  quote(req: QuoteRequest): Promise<QuoteResponse> {
    this.record('quote', [req]);
    return this.handlers.quote?.(req) ?? notStubbed('quote');
  }

  feeTable(): Promise<FeeTableView> {
    this.record('feeTable', []);
    return this.handlers.feeTable?.() ?? notStubbed('feeTable');
  }

  ownCounterCertificates(): Promise<OwnCounterCertificates> {
    this.record('ownCounterCertificates', []);
    return this.handlers.ownCounterCertificates?.() ?? notStubbed('ownCounterCertificates');
  }

  printForms(req: PrintRequest): Promise<Blob> {
    this.record('printForms', [req]);
    return this.handlers.printForms?.(req) ?? notStubbed('printForms');
  }

  saveCase(caseId: string, req: SaveCase): Promise<CaseView> {
    this.record('saveCase', [caseId, req]);
    return this.handlers.saveCase?.(caseId, req) ?? notStubbed('saveCase');
  }

  getCase(caseId: string): Promise<CaseView> {
    this.record('getCase', [caseId]);
    return this.handlers.getCase?.(caseId) ?? notStubbed('getCase');
  }

  discloseCase(caseId: string, reason: string): Promise<CaseDisclosureView> {
    this.record('discloseCase', [caseId, reason]);
    return this.handlers.discloseCase?.(caseId, reason) ?? notStubbed('discloseCase');
  }

  listCases(query: CaseQuery): Promise<CaseSummary[]> {
    this.record('listCases', [query]);
    return this.handlers.listCases?.(query) ?? notStubbed('listCases');
  }

  caseVocabulary(): Promise<CaseVocabulary> {
    this.record('caseVocabulary', []);
    return (
      this.handlers.caseVocabulary?.() ??
      Promise.resolve({ memo_phrases: ['委任状を確認済み'], statuses: [], procedure_states: [] })
    );
  }

  printCase(caseId: string, req: PrintCase): Promise<PrintedPdf> {
    this.record('printCase', [caseId, req]);
    return this.handlers.printCase?.(caseId, req) ?? notStubbed('printCase');
  }

  linkageStatus(): Promise<LinkageStatus> {
    this.record('linkageStatus', []);
    return this.handlers.linkageStatus?.() ?? notStubbed('linkageStatus');
  }

  exportLinkage(): Promise<ExportResult> {
    this.record('exportLinkage', []);
    return this.handlers.exportLinkage?.() ?? notStubbed('exportLinkage');
  }

  terminals(): Promise<TerminalsView> {
    this.record('terminals', []);
    return this.handlers.terminals?.() ?? notStubbed('terminals');
  }

  enrollTerminal(id: string, req: TerminalRegistration): Promise<TerminalView> {
    this.record('enrollTerminal', [id, req]);
    return this.handlers.enrollTerminal?.(id, req) ?? notStubbed('enrollTerminal');
  }

  removeTerminal(id: string): Promise<void> {
    this.record('removeTerminal', [id]);
    return this.handlers.removeTerminal?.(id) ?? notStubbed('removeTerminal');
  }

  setCounterBrowser(code: string, allowed: boolean): Promise<CounterAccessView> {
    this.record('setCounterBrowser', [code, allowed]);
    return this.handlers.setCounterBrowser?.(code, allowed) ?? notStubbed('setCounterBrowser');
  }

  users(): Promise<UserView[]> {
    this.record('users', []);
    return this.handlers.users?.() ?? notStubbed('users');
  }

  createUser(req: NewUserRequest): Promise<TemporaryPassword> {
    this.record('createUser', [req]);
    return this.handlers.createUser?.(req) ?? notStubbed('createUser');
  }

  editUser(login: string, req: UserEditRequest): Promise<UserView> {
    this.record('editUser', [login, req]);
    return this.handlers.editUser?.(login, req) ?? notStubbed('editUser');
  }

  unlockUser(login: string): Promise<void> {
    this.record('unlockUser', [login]);
    return this.handlers.unlockUser?.(login) ?? notStubbed('unlockUser');
  }

  resetPassword(login: string): Promise<TemporaryPassword> {
    this.record('resetPassword', [login]);
    return this.handlers.resetPassword?.(login) ?? notStubbed('resetPassword');
  }

  importUsers(req: StaffUploadRequest): Promise<StaffUploadReport> {
    this.record('importUsers', [req]);
    return this.handlers.importUsers?.(req) ?? notStubbed('importUsers');
  }

  exportUsers(): Promise<string> {
    this.record('exportUsers', []);
    return this.handlers.exportUsers?.() ?? notStubbed('exportUsers');
  }

  permissions(): Promise<PermissionView[]> {
    this.record('permissions', []);
    return this.handlers.permissions?.() ?? notStubbed('permissions');
  }

  groups(): Promise<GroupView[]> {
    this.record('groups', []);
    return this.handlers.groups?.() ?? notStubbed('groups');
  }

  putGroup(code: string, req: GroupRequest): Promise<void> {
    this.record('putGroup', [code, req]);
    return this.handlers.putGroup?.(code, req) ?? notStubbed('putGroup');
  }

  counterSetups(): Promise<CounterSetupView[]> {
    this.record('counterSetups', []);
    return this.handlers.counterSetups?.() ?? notStubbed('counterSetups');
  }

  putCounter(code: string, req: CounterRequest): Promise<void> {
    this.record('putCounter', [code, req]);
    return this.handlers.putCounter?.(code, req) ?? notStubbed('putCounter');
  }

  feeSettings(): Promise<FeeSettings> {
    this.record('feeSettings', []);
    return this.handlers.feeSettings?.() ?? notStubbed('feeSettings');
  }

  saveFeeSettings(req: FeeSettings): Promise<FeeSettings> {
    this.record('saveFeeSettings', [req]);
    return this.handlers.saveFeeSettings?.(req) ?? notStubbed('saveFeeSettings');
  }

  memoPhrases(): Promise<MemoPhrases> {
    this.record('memoPhrases', []);
    return this.handlers.memoPhrases?.() ?? notStubbed('memoPhrases');
  }

  saveMemoPhrases(req: MemoPhrases): Promise<MemoPhrases> {
    this.record('saveMemoPhrases', [req]);
    return this.handlers.saveMemoPhrases?.(req) ?? notStubbed('saveMemoPhrases');
  }

  navigationEditor(): Promise<NavigationEditorView> {
    this.record('navigationEditor', []);
    return this.handlers.navigationEditor?.() ?? notStubbed('navigationEditor');
  }

  checkNavigationDraft(draft: LocalCatalog): Promise<DraftCheck> {
    this.record('checkNavigationDraft', [draft]);
    return this.handlers.checkNavigationDraft?.(draft) ?? notStubbed('checkNavigationDraft');
  }

  tryNavigationDraft(req: TrialRequest): Promise<TrialResponse> {
    this.record('tryNavigationDraft', [req]);
    return this.handlers.tryNavigationDraft?.(req) ?? notStubbed('tryNavigationDraft');
  }

  saveNavigationDraft(req: SaveDraftRequest): Promise<RevisionView> {
    this.record('saveNavigationDraft', [req]);
    return this.handlers.saveNavigationDraft?.(req) ?? notStubbed('saveNavigationDraft');
  }

  publishNavigationDraft(req: PublishDraftRequest): Promise<RevisionView> {
    this.record('publishNavigationDraft', [req]);
    return this.handlers.publishNavigationDraft?.(req) ?? notStubbed('publishNavigationDraft');
  }

  certificateSettings(): Promise<CertificateSettingsView> {
    this.record('certificateSettings', []);
    return this.handlers.certificateSettings?.() ?? notStubbed('certificateSettings');
  }

  saveCertificateSettings(req: PutCertificateSettings): Promise<CertificateSettingsView> {
    this.record('saveCertificateSettings', [req]);
    return this.handlers.saveCertificateSettings?.(req) ?? notStubbed('saveCertificateSettings');
  }

  counterCertificates(): Promise<CounterCertificatesView> {
    this.record('counterCertificates', []);
    return this.handlers.counterCertificates?.() ?? notStubbed('counterCertificates');
  }

  saveCounterCertificates(req: PutCounterCertificates): Promise<CounterCertificatesView> {
    this.record('saveCounterCertificates', [req]);
    return this.handlers.saveCounterCertificates?.(req) ?? notStubbed('saveCounterCertificates');
  }

  // お知らせ: a staff member and a kiosk see none unless a test says otherwise.
  formTemplates(): Promise<TemplateView[]> {
    this.record('formTemplates', []);
    return this.handlers.formTemplates?.() ?? notStubbed('formTemplates');
  }

  formTemplateSource(id: string, version: string): Promise<TemplateSource> {
    this.record('formTemplateSource', [id, version]);
    return this.handlers.formTemplateSource?.(id, version) ?? notStubbed('formTemplateSource');
  }

  previewFormTemplate(req: PreviewRequest): Promise<PreviewView> {
    this.record('previewFormTemplate', [req]);
    return this.handlers.previewFormTemplate?.(req) ?? notStubbed('previewFormTemplate');
  }

  publishFormTemplate(req: PublishRequest): Promise<TemplateView> {
    this.record('publishFormTemplate', [req]);
    return this.handlers.publishFormTemplate?.(req) ?? notStubbed('publishFormTemplate');
  }

  portalApplications(status?: string): Promise<PortalApplicationList> {
    this.record('portalApplications', [status]);
    return this.handlers.portalApplications?.(status) ?? notStubbed('portalApplications');
  }

  portalApplication(applicationNo: string): Promise<PortalApplicationView> {
    this.record('portalApplication', [applicationNo]);
    return this.handlers.portalApplication?.(applicationNo) ?? notStubbed('portalApplication');
  }

  portalAttachment(applicationNo: string, index: number): Promise<Blob> {
    this.record('portalAttachment', [applicationNo, index]);
    return this.handlers.portalAttachment?.(applicationNo, index) ?? notStubbed('portalAttachment');
  }

  importPortalZip(zipBase64: string): Promise<PortalImportView> {
    this.record('importPortalZip', [zipBase64]);
    return this.handlers.importPortalZip?.(zipBase64) ?? notStubbed('importPortalZip');
  }

  setPortalStatus(applicationNo: string, input: PortalStatusInput): Promise<PortalListItem> {
    this.record('setPortalStatus', [applicationNo, input]);
    return this.handlers.setPortalStatus?.(applicationNo, input) ?? notStubbed('setPortalStatus');
  }

  makePortalCase(applicationNo: string, atenaNo: string | null): Promise<{ case_id: string }> {
    this.record('makePortalCase', [applicationNo, atenaNo]);
    return this.handlers.makePortalCase?.(applicationNo, atenaNo) ?? notStubbed('makePortalCase');
  }

  portalConnector(): Promise<PortalConnectorView> {
    this.record('portalConnector', []);
    return this.handlers.portalConnector?.() ?? notStubbed('portalConnector');
  }

  runPortalConnector(): Promise<PortalConnectorView> {
    this.record('runPortalConnector', []);
    return this.handlers.runPortalConnector?.() ?? notStubbed('runPortalConnector');
  }

  formBackgrounds(): Promise<FormBackgroundView[]> {
    this.record('formBackgrounds', []);
    return this.handlers.formBackgrounds?.() ?? notStubbed('formBackgrounds');
  }

  uploadFormBackground(req: BackgroundUpload): Promise<FormBackgroundView> {
    this.record('uploadFormBackground', [req]);
    return this.handlers.uploadFormBackground?.(req) ?? notStubbed('uploadFormBackground');
  }

  notices(): Promise<NoticeView[]> {
    this.record('notices', []);
    return this.handlers.notices?.() ?? notStubbed('notices');
  }

  noticeAudiences(): Promise<NoticeAudienceView[]> {
    this.record('noticeAudiences', []);
    return this.handlers.noticeAudiences?.() ?? notStubbed('noticeAudiences');
  }

  createNotice(input: NoticeInput): Promise<NoticeView> {
    this.record('createNotice', [input]);
    return this.handlers.createNotice?.(input) ?? notStubbed('createNotice');
  }

  updateNotice(id: string, input: NoticeInput): Promise<NoticeView> {
    this.record('updateNotice', [id, input]);
    return this.handlers.updateNotice?.(id, input) ?? notStubbed('updateNotice');
  }

  myNotices(): Promise<MyNoticeView[]> {
    this.record('myNotices', []);
    return this.handlers.myNotices?.() ?? Promise.resolve([]);
  }

  markNoticeRead(id: string): Promise<void> {
    this.record('markNoticeRead', [id]);
    return this.handlers.markNoticeRead?.(id) ?? Promise.resolve();
  }

  publicTowns(tenant: string): Promise<TownView[]> {
    this.record('publicTowns', [tenant]);
    return this.handlers.publicTowns?.(tenant) ?? notStubbed('publicTowns');
  }

  signPreApplication(tenant: string, entries: PreApplicationEntries): Promise<SignedPreApplication> {
    this.record('signPreApplication', [tenant, entries]);
    return this.handlers.signPreApplication?.(tenant, entries) ?? notStubbed('signPreApplication');
  }

  sendPreApplication(tenant: string, writeId: string, entries: PreApplicationEntries): Promise<SentPreApplication> {
    this.record('sendPreApplication', [tenant, writeId, entries]);
    return this.handlers.sendPreApplication?.(tenant, writeId, entries) ?? notStubbed('sendPreApplication');
  }

  deletePreApplication(tenant: string, number: string, birth: string): Promise<void> {
    this.record('deletePreApplication', [tenant, number, birth]);
    return this.handlers.deletePreApplication?.(tenant, number, birth) ?? notStubbed('deletePreApplication');
  }

  guide(tenant: string, req: EvaluateRequest, lang?: string): Promise<GuideResponse> {
    this.record('guide', lang ? [tenant, req, lang] : [tenant, req]);
    return this.handlers.guide?.(tenant, req, lang) ?? notStubbed('guide');
  }

  navigationTranslationGaps(): Promise<TranslationGaps> {
    this.record('navigationTranslationGaps', []);
    return this.handlers.navigationTranslationGaps?.() ?? notStubbed('navigationTranslationGaps');
  }

  maintenanceStatus(tenant: string): Promise<PublicMaintenanceView[]> {
    this.record('maintenanceStatus', [tenant]);
    return this.handlers.maintenanceStatus?.(tenant) ?? Promise.resolve([]);
  }

  previewCertificate(): Promise<PrintedPdf> {
    this.record('previewCertificate', []);
    return this.handlers.previewCertificate?.() ?? notStubbed('previewCertificate');
  }

  confirmLinkage(req: ConfirmRequest): Promise<ConfirmResult> {
    this.record('confirmLinkage', [req]);
    return this.handlers.confirmLinkage?.(req) ?? notStubbed('confirmLinkage');
  }

  towns(): Promise<TownView[]> {
    this.record('towns', []);
    return this.handlers.towns?.() ?? Promise.resolve([]);
  }

  resolveQr(symbols: string[]): Promise<ResolvedQr> {
    this.record('resolveQr', [symbols]);
    return this.handlers.resolveQr?.(symbols) ?? notStubbed('resolveQr');
  }

  preApplication(number: string): Promise<PreApplicationView> {
    this.record('preApplication', [number]);
    return this.handlers.preApplication?.(number) ?? notStubbed('preApplication');
  }

  kioskPreApplication(req: KioskPreApplicationRequest): Promise<KioskPreApplication> {
    this.record('kioskPreApplication', [req]);
    return this.handlers.kioskPreApplication?.(req) ?? notStubbed('kioskPreApplication');
  }

  issueCertificates(caseId: string, req: IssueCertificatesRequest): Promise<PrintedPdf> {
    this.record('issueCertificates', [caseId, req]);
    return this.handlers.issueCertificates?.(caseId, req) ?? notStubbed('issueCertificates');
  }

  certificateHistory(query: CertificateHistoryQuery): Promise<CertificateListItem[]> {
    this.record('certificateHistory', [query]);
    return this.handlers.certificateHistory?.(query) ?? notStubbed('certificateHistory');
  }

  certificateStatistics(from: string, to: string): Promise<CertificateStatistics> {
    this.record('certificateStatistics', [from, to]);
    return this.handlers.certificateStatistics?.(from, to) ?? notStubbed('certificateStatistics');
  }

  caseStatistics(from: string, to: string): Promise<CaseStatistics> {
    this.record('caseStatistics', [from, to]);
    return this.handlers.caseStatistics?.(from, to) ?? notStubbed('caseStatistics');
  }

  caseStatisticsCsv(from: string, to: string): Promise<string> {
    this.record('caseStatisticsCsv', [from, to]);
    return this.handlers.caseStatisticsCsv?.(from, to) ?? notStubbed('caseStatisticsCsv');
  }

  caseHistoryCsv(from: string, to: string): Promise<string> {
    this.record('caseHistoryCsv', [from, to]);
    return this.handlers.caseHistoryCsv?.(from, to) ?? notStubbed('caseHistoryCsv');
  }

  certificateStatisticsCsv(from: string, to: string): Promise<string> {
    this.record('certificateStatisticsCsv', [from, to]);
    return this.handlers.certificateStatisticsCsv?.(from, to) ?? notStubbed('certificateStatisticsCsv');
  }

  reprintCertificate(issueNo: string, reason: string): Promise<PrintedPdf> {
    this.record('reprintCertificate', [issueNo, reason]);
    return this.handlers.reprintCertificate?.(issueNo, reason) ?? notStubbed('reprintCertificate');
  }

  stationHours(): Promise<StationHoursView> {
    this.record('stationHours', []);
    return this.handlers.stationHours?.() ?? notStubbed('stationHours');
  }

  issuanceRules(): Promise<IssuanceRules> {
    this.record('issuanceRules', []);
    return this.handlers.issuanceRules?.() ?? notStubbed('issuanceRules');
  }

  saveIssuanceRules(rules: IssuanceRules): Promise<IssuanceRules> {
    this.record('saveIssuanceRules', [rules]);
    return this.handlers.saveIssuanceRules?.(rules) ?? notStubbed('saveIssuanceRules');
  }

  saveStationHours(hours: StationHoursView): Promise<StationHoursView> {
    this.record('saveStationHours', [hours]);
    return this.handlers.saveStationHours?.(hours) ?? notStubbed('saveStationHours');
  }

  claimPrintJob(): Promise<PrintClaim> {
    this.record('claimPrintJob', []);
    return this.handlers.claimPrintJob?.() ?? Promise.resolve({ request: null });
  }

  stationSetups(): Promise<StationSetupsView> {
    this.record('stationSetups', []);
    return this.handlers.stationSetups?.() ?? notStubbed('stationSetups');
  }

  saveStationSetup(terminal: string, setup: StationSetupInput): Promise<StationSetupView> {
    this.record('saveStationSetup', [terminal, setup]);
    return this.handlers.saveStationSetup?.(terminal, setup) ?? notStubbed('saveStationSetup');
  }

  stationStatus(): Promise<StationStatus> {
    this.record('stationStatus', []);
    return this.handlers.stationStatus?.() ?? notStubbed('stationStatus');
  }

  identifyAtStation(verificationId: string): Promise<StationIdentity> {
    this.record('identifyAtStation', [verificationId]);
    return this.handlers.identifyAtStation?.(verificationId) ?? notStubbed('identifyAtStation');
  }

  stationRequests(day?: string): Promise<StationRequestView[]> {
    this.record('stationRequests', [day]);
    return this.handlers.stationRequests?.(day) ?? notStubbed('stationRequests');
  }

  actOnStationRequest(requestId: string, action: StationAction): Promise<StationRequestView> {
    this.record('actOnStationRequest', [requestId, action]);
    return this.handlers.actOnStationRequest?.(requestId, action) ?? notStubbed('actOnStationRequest');
  }

  verifyCertificate(symbols: string[]): Promise<CertificateVerification> {
    this.record('verifyCertificate', [symbols]);
    return this.handlers.verifyCertificate?.(symbols) ?? notStubbed('verifyCertificate');
  }

  revokeCertificate(issueNo: string, reason: string): Promise<IssuedCertificate> {
    this.record('revokeCertificate', [issueNo, reason]);
    return this.handlers.revokeCertificate?.(issueNo, reason) ?? notStubbed('revokeCertificate');
  }

  incomingMoves(q: string, signal?: AbortSignal): Promise<IncomingMoveView[]> {
    this.record('incomingMoves', [q, signal]);
    return this.handlers.incomingMoves?.(q, signal) ?? Promise.resolve([]);
  }

  arrivals(date?: string): Promise<ArrivalView[]> {
    this.record('arrivals', [date]);
    return this.handlers.arrivals?.(date) ?? Promise.resolve([]);
  }

  arrival(noticeNo: string): Promise<ArrivalDetailView> {
    this.record('arrival', [noticeNo]);
    return this.handlers.arrival?.(noticeNo) ?? notStubbed('arrival');
  }

  prepareArrival(noticeNo: string): Promise<PrepareResult> {
    this.record('prepareArrival', [noticeNo]);
    return this.handlers.prepareArrival?.(noticeNo) ?? notStubbed('prepareArrival');
  }

  prepareArrivals(date: string): Promise<PrepareResult[]> {
    this.record('prepareArrivals', [date]);
    return this.handlers.prepareArrivals?.(date) ?? notStubbed('prepareArrivals');
  }

  auditRecords(query: AuditQuery): Promise<AuditSearchResult> {
    this.record('auditRecords', [query]);
    return this.handlers.auditRecords?.(query) ?? notStubbed('auditRecords');
  }

  auditRecordsCsv(query: AuditQuery): Promise<string> {
    this.record('auditRecordsCsv', [query]);
    return this.handlers.auditRecordsCsv?.(query) ?? notStubbed('auditRecordsCsv');
  }

  auditVerification(): Promise<AuditVerification> {
    this.record('auditVerification', []);
    return this.handlers.auditVerification?.() ?? notStubbed('auditVerification');
  }

  discloseResidentAddress(atenaNo: string, reason: string): Promise<DisclosureView> {
    this.record('discloseResidentAddress', [atenaNo, reason]);
    return this.handlers.discloseResidentAddress?.(atenaNo, reason) ?? notStubbed('discloseResidentAddress');
  }
}

function notStubbed(method: string): Promise<never> {
  return Promise.reject(
    new BackendError('server', { status: 500, code: 'not_stubbed', message: `FakeBackend.${method} is not stubbed` }),
  );
}
