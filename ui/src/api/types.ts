// Convenient aliases for the API types. Everything here is derived from `schema.d.ts`, which
// `npm run gen:api` generates from the server's committed OpenAPI document
// (`../api-server/openapi.json`). Never hand-copy API shapes: add an alias here instead.
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type AddressView = Schemas['AddressView'];
export type CaseDisclosureRequest = Schemas['CaseDisclosureRequest'];
export type CaseDisclosureView = Schemas['CaseDisclosureView'];
export type CaseDocument = Schemas['CaseDocument'];
export type CaseMember = Schemas['CaseMember'];
export type CaseProcedure = Schemas['CaseProcedure'];
export type CaseSummary = Schemas['CaseSummary'];
export type CaseView = Schemas['CaseView'];
export type CaseVocabulary = Schemas['CaseVocabulary'];
export type CertificateLine = Schemas['CertificateLine'];
export type FeeTableView = Schemas['FeeTableView'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type IncomingMoveView = Schemas['IncomingMoveView'];
export type ArrivalView = Schemas['ArrivalView'];
export type ArrivalDetailView = Schemas['ArrivalDetailView'];
export type PrepareResult = Schemas['PrepareResult'];
export type NewAddress = Schemas['NewAddress'];
export type Notification = Schemas['Notification'];
export type PrintCase = Schemas['PrintCase'];
export type SaveCase = Schemas['SaveCase'];
export type TownView = Schemas['TownView'];
export type Visitor = Schemas['Visitor'];
export type Answer = Schemas['Answer'];
export type CounterView = Schemas['CounterView'];
export type ErrorBody = Schemas['ErrorBody'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type EvaluateRequest = Schemas['EvaluateRequest'];
export type EvaluateResponse = Schemas['EvaluateResponse'];
export type HouseholdView = Schemas['HouseholdView'];
export type LoginRequest = Schemas['LoginRequest'];
export type LoginResponse = Schemas['LoginResponse'];
export type MemberInput = Schemas['MemberInput'];
export type PrintForm = Schemas['PrintForm'];
export type PrintRequest = Schemas['PrintRequest'];
export type ProcedureView = Schemas['ProcedureView'];
export type QuestionView = Schemas['QuestionView'];
export type ResolvedQr = Schemas['ResolvedQr'];
export type QuoteItem = Schemas['QuoteItem'];
export type QuoteLine = Schemas['QuoteLine'];
export type QuoteRequest = Schemas['QuoteRequest'];
export type QuoteResponse = Schemas['QuoteResponse'];
export type ResidentView = Schemas['ResidentView'];
export type SearchResponse = Schemas['SearchResponse'];
export type SessionUser = Schemas['SessionUser'];
export type LinkageStatus = Schemas['LinkageStatus'];
export type CardFace = Schemas['CardFace'];
/** 事前申請 (issue 21 point 3): what a resident entered on their phone, and one read by its 受付番号. */
export type PreApplicationBody = Schemas['Body'];
export type PreApplicationView = Schemas['PreApplicationView'];
/** A 事前申請 read at the kiosk: its QR symbols, or its 受付番号 with the applicant's birth date. */
export type KioskPreApplicationRequest = Schemas['KioskPreApplicationRequest'];
export type KioskPreApplication = Schemas['KioskPreApplication'];
export type FeedStatus = Schemas['FeedStatus'];
export type LinkageFileView = Schemas['LinkageFileView'];
export type OutboundView = Schemas['OutboundView'];
export type ExportResult = Schemas['ExportResult'];
export type LinkageWaiting = Schemas['Waiting'];
export type LinkageHold = Schemas['Hold'];
export type ConfirmRequest = Schemas['ConfirmRequest'];
export type ConfirmResult = Schemas['ConfirmResult'];
export type TerminalsView = Schemas['TerminalsView'];
export type TerminalView = Schemas['TerminalView'];
export type CounterAccessView = Schemas['CounterAccessView'];
export type TerminalRegistration = Schemas['TerminalRegistration'];
export type CertificateSettingsView = Schemas['CertificateSettingsView'];
export type PutCertificateSettings = Schemas['PutCertificateSettings'];
export type SealView = Schemas['SealView'];
/** Which certificates each counter issues (admin's table). */
export type CounterCertificatesView = Schemas['CounterCertificatesView'];
export type CounterCertificatesRow = Schemas['CounterCertificatesRow'];
export type PutCounterCertificates = Schemas['PutCounterCertificates'];
/** The certificates the session's counter issues (its certificate step). */
export type OwnCounterCertificates = Schemas['OwnCounterCertificates'];

/** Query of `GET /api/v1/residents` (q, birth, address, limit). */
export type ResidentQuery = NonNullable<paths['/api/v1/residents']['get']['parameters']['query']>;

/** Query of `GET /api/v1/cases` (from, to, staff, procedure, status). */
export type CaseQuery = NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>;

// 証明書の発行・確認 (issue 19)
export type IssueCertificatesRequest = Schemas['IssueCertificates'];
/** What `POST /api/v1/certificates/verify` answers: `state` (valid, altered, revoked, not_ours), its message, the certificate. */
export type CertificateVerification = Schemas['CertificateCheck'];
/** An issued certificate as the verify and revoke routes show it (never an address). */
export type IssuedCertificate = Schemas['CertificateSummary'];

// 証明書発行端末 (issue 19)
/** Whether the station takes requests now, and its offers with their fees. */
export type StationStatus = Schemas['StationStatus'];
export type StationOffer = Schemas['StationOffer'];
/** The card holder after JPKI: their name, household size and what the station can issue for them. */
export type StationIdentity = Schemas['StationIdentity'];
export type StationLine = Schemas['StationLine'];
/** A station request in staff's queue. */
export type StationRequestView = Schemas['StationRequestView'];
/** Staff's action on a station request (call, hand over with the payment, cancel). */
export type StationAction = Schemas['StationAction'];
export type Payment = Schemas['Payment'];
/** The issuance stations' opening hours (admin). */
export type StationHoursView = Schemas['StationHoursView'];
/** What a print agent gets: the request to print now, if any. */
export type PrintClaim = Schemas['PrintClaim'];
/** The issuance stations' setups (admin): every enrolled terminal, and the certificates offerable. */
export type StationSetupsView = Schemas['StationSetupsView'];
/** The city's issuance rules (admin): 支援措置 at the stations. */
export type IssuanceRules = Schemas['IssuanceRules'];
export type StationSetupView = Schemas['StationSetupView'];
export type StationSetupInput = Schemas['StationSetupInput'];
export type StationItem = Schemas['StationItem'];
/** A terminal's last device report (printers, signal tower, card reader, paper), as admins see it. */
export type DeviceStatus = Schemas['DeviceStatus'];
export type PrinterReport = Schemas['PrinterReport'];
export type TowerReport = Schemas['TowerReport'];
/** A station's own opening hours (its setup; `null` there: the city's). */
export type HoursView = Schemas['HoursView'];

// 発行履歴・統計 (issue 19)
/** An issued certificate in the history (never an address). */
export type CertificateListItem = Schemas['CertificateListItem'];
/** Counts of a period by certificate, day, hour and counter. */
export type CertificateStatistics = Schemas['CertificateStatistics'];
/** The case statistics of a period (統計, admins): counts by day, hour, weekday, counter, staff, channel,
 * 届出 and procedure, handling time, certificates and the comparison periods. */
export type CaseStatistics = Schemas['CaseStatistics'];
/** Query of `GET /api/v1/certificates` (from, to, issue_no, limit). */
export type CertificateHistoryQuery = NonNullable<paths['/api/v1/certificates']['get']['parameters']['query']>;
/** One audit record with every field (監査ログ). */
export type AuditRecordView = Schemas['AuditRecordView'];
/** One page of an audit search, newest first. */
export type AuditSearchResult = Schemas['AuditSearchResult'];
/** The audit chain's verification and its latest external checkpoint. */
export type AuditVerification = Schemas['AuditVerification'];
/** Query of `GET /api/v1/audit/records` (period, filters, page). */
export type AuditQuery = NonNullable<paths['/api/v1/audit/records']['get']['parameters']['query']>;
/** A resident's address shown for a stated reason (支援措置の開示). */
export type DisclosureView = Schemas['DisclosureView'];

// 管理メニュー: accounts, groups, counters (issue 20)
/** A staff account as the admin screen sees it (with the revision an edit names). */
export type UserView = Schemas['UserView'];
export type NewUserRequest = Schemas['NewUserRequest'];
export type UserEditRequest = Schemas['UserEditRequest'];
/** A temporary password, shown once to the administrator to hand over. */
export type TemporaryPassword = Schemas['TemporaryPassword'];
/** A staff CSV file (base64) and its encoding. */
export type StaffUploadRequest = Schemas['StaffUpload'];
/** What a staff CSV upload did: written with counts, or refused with every problem. */
export type StaffUploadReport = Schemas['StaffUploadReport'];
export type StaffProblemView = Schemas['StaffProblemView'];
/** A permission with its Japanese name and what it allows. */
export type PermissionView = Schemas['PermissionView'];
export type GroupView = Schemas['GroupView'];
export type GroupRequest = Schemas['GroupRequest'];
export type CounterSetupView = Schemas['CounterSetupView'];
export type CounterRequest = Schemas['CounterRequest'];
/** The user's own password change (current and new). */
export type PasswordChange = Schemas['PasswordChange'];
/** The city's whole fee table as the admin screen edits it, with the revision read. */
export type FeeSettings = Schemas['FeeSettings'];
export type FeeItemInput = Schemas['FeeItemInput'];
export type ExemptionInput = Schemas['ExemptionInput'];
/** The memo's 定型文 with the revision read. */
export type MemoPhrases = Schemas['MemoPhrases'];
// 手続きナビ editor (issue 20 point 2)
/** The catalogue with every procedure's period, the city's draft and what it may name. */
export type NavigationEditorView = Schemas['NavigationEditorView'];
export type CatalogEntry = Schemas['CatalogEntry'];
/** The city's catalogue file: its questions, procedures (one version each in a draft) and examples. */
export type LocalCatalog = Schemas['LocalCatalog'];
export type LocalProcedure = Schemas['LocalProcedure'];
export type LocalRule = Schemas['LocalRule'];
export type LocalExample = Schemas['LocalExample'];
export type CatalogQuestion = Schemas['Question'];
/** A draft's check: problems (with a rule's error offset), examples run, the diff against what is in force. */
export type DraftCheck = Schemas['DraftCheck'];
export type DraftProblem = Schemas['DraftProblem'];
export type ExampleOutcome = Schemas['ExampleOutcome'];
export type DiffLine = Schemas['DiffLine'];
export type TrialRequest = Schemas['TrialRequest'];
/** A test household evaluated with the draft and the current catalogue. */
export type TrialResponse = Schemas['TrialResponse'];
export type SaveDraftRequest = Schemas['SaveDraftRequest'];
export type PublishDraftRequest = Schemas['PublishDraftRequest'];
export type RevisionView = Schemas['RevisionView'];
// 帳票テンプレート (issue 20 point 3)
/** A form template version as the admin list shows it (`origin`: `standard` | `tenant`). */
export type TemplateView = Schemas['TemplateView'];
/** The source (TOML) of one template version. */
export type TemplateSource = Schemas['TemplateSource'];
/** A draft to preview: its source and whose sample data to render it with. */
export type PreviewRequest = Schemas['PreviewRequest'];
/** The draft rendered: the PDF (base64) and every problem. */
export type PreviewView = Schemas['PreviewView'];
/** One problem of a preview (`kind`: `template`, `unknown_bind`, `overflow`, …). */
export type PreviewProblem = Schemas['PreviewProblem'];
/** An edited template published as a new version from its 施行日. */
export type PublishRequest = Schemas['PublishRequest'];
/** A background PDF the city uploaded for its templates (name, pages, size). */
export type FormBackgroundView = Schemas['FormBackgroundView'];
// 手続きガイド (issue 21 point 2, public)
/** The public guide's answer: the city's name, the procedures as a resident reads them, the next questions. */
export type GuideResponse = Schemas['GuideResponse'];
/** A procedure as the public guide shows it (no staff texts). */
export type GuideProcedureView = Schemas['GuideProcedureView'];
/** Per language, the texts of the tenant's 手続きナビ catalogue without a translation (shown in Japanese). */
export type TranslationGaps = Schemas['TranslationGaps'];
/** A background PDF to upload: its file name and the PDF in base64. */
export type BackgroundUpload = Schemas['BackgroundUpload'];
// お知らせ・保守のお知らせ (issue 20 point 6)
/** A notice as the admin screen shows it (`kind`: `notice` | `maintenance`; `audience`: `all`, `group:<code>`, `counter:<code>`). */
export type NoticeView = Schemas['NoticeView'];
/** A notice as the admin enters it (times in RFC 3339; `revision` for an edit). */
export type NoticeInput = Schemas['NoticeInput'];
/** A group or counter a notice may address. */
export type NoticeAudienceView = Schemas['NoticeAudienceView'];
/** A notice shown to the logged-in staff member, with whether they have read it. */
export type MyNoticeView = Schemas['MyNoticeView'];
/** A maintenance notice as anyone may read it (status page, kiosks, stations). */
export type PublicMaintenanceView = Schemas['PublicMaintenanceView'];
// 申請管理: applications received through マイナポータル (issue 21 point 4)
/** The applications with the counts of every status. */
export type PortalApplicationList = Schemas['PortalApplicationList'];
/** One line of the list (no address). */
export type PortalListItem = Schemas['PortalListItem'];
/** One application opened (through the 支援措置 gate), with its candidate residents. */
export type PortalApplicationView = Schemas['PortalApplicationView'];
/** What a ZIP import did. */
export type PortalImportView = Schemas['PortalImportView'];
/** A status set by staff (`returned` needs a reason). */
export type PortalStatusInput = Schemas['PortalStatusInput'];
/** The マイナポータル connector's last rounds (admins). */
export type PortalConnectorView = Schemas['PortalConnectorView'];
// 事前申請 (the resident's phone app)
export type PreApplicationEntries = Schemas['Entries'];
export type PreApplicationMember = Schemas['Member'];
export type PreApplicationAddress = Schemas['CityAddress'];
export type SignedPreApplication = Schemas['SignedPreApplication'];
export type SentPreApplication = Schemas['SentPreApplication'];
