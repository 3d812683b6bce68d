import { describe, expect, it, vi } from 'vitest';
import type { SaveCase } from '../api/types';
import type { Backend } from './Backend';
import { HttpBackend } from './http';
import { routes, type Route, type RouteName } from './routes';
import { TauriBackend, type TauriIpc } from './tauri';
import type { RequestParts, Transport } from './transport';

// Both backends send the server operations of ONE route table (`routes.ts`) through their transport:
// the same `Backend` call gives the same route and request on HttpBackend and TauriBackend, and the
// same method, path (with its query string) and body on the wire (fetch / `api_request`, `api_pdf`).

const save: SaveCase = { write_id: 'w-12345678', revision: null, status: 'open', document: { visitor: { kind: '本人' } } };

const notice = {
  kind: 'notice',
  audience: 'all',
  text_ja: '本日の伝達事項',
  starts_at: '2026-12-07T09:00:00+09:00',
  ends_at: '2026-12-08T09:00:00+09:00',
};

/** One call of each route's `Backend` method (keyed by route: a route without a call fails tsc). */
const CALLS: Record<RouteName, (backend: Backend) => Promise<unknown>> = {
  counters: (b) => b.counters('demo'),
  login: (b) => b.login({ tenant: 'demo', counter: 'shimin', user: 'tanaka', password: 'pw' }),
  logout: (b) => b.logout(),
  me: (b) => b.me(),
  changePassword: (b) => b.changePassword({ current_password: 'old-password-1', new_password: 'new-password-2' }),
  searchResidents: (b) => b.searchResidents({ q: 'やまだ', birth: '', limit: 5 }),
  household: (b) => b.household('0001/2'),
  resident: (b) => b.resident('000000000000001'),
  evaluate: (b) => b.evaluate({ event: '転入', event_date: '2026-11-23' }),
  procedures: (b) => b.procedures('2026-11-23'),
  quote: (b) => b.quote({ items: [] }),
  feeTable: (b) => b.feeTable(),
  ownCounterCertificates: (b) => b.ownCounterCertificates(),
  printForms: (b) => b.printForms({ subjects: [], forms: [] }),
  saveCase: (b) => b.saveCase('case-12345678', save),
  getCase: (b) => b.getCase('case 1?'),
  discloseCase: (b) => b.discloseCase('case-12345678', '転居届の確認'),
  listCases: (b) => b.listCases({ status: 'open', staff: '' }),
  caseVocabulary: (b) => b.caseVocabulary(),
  printCase: (b) => b.printCase('case-12345678', { write_id: 'p-12345678' }),
  towns: (b) => b.towns(),
  resolveQr: (b) => b.resolveQr(['MDG1.1.1.abcdef.AAAA']),
  preApplication: (b) => b.preApplication('12345671'),
  kioskPreApplication: (b) => b.kioskPreApplication({ number: '1234-5671', birth: '1990-05-01' }),
  incomingMoves: (b) => b.incomingMoves('やまだ'),
  arrivals: (b) => b.arrivals('2026-12-08'),
  arrival: (b) => b.arrival('T-1'),
  prepareArrival: (b) => b.prepareArrival('T-1'),
  prepareArrivals: (b) => b.prepareArrivals('2026-12-08'),
  issueCertificates: (b) => b.issueCertificates('case-12345678', { write_id: 'c-12345678', override_reason: null }),
  verifyCertificate: (b) => b.verifyCertificate(['MDGC1.abc.def']),
  revokeCertificate: (b) => b.revokeCertificate('R08-000001', '記載誤り'),
  certificateHistory: (b) => b.certificateHistory({ from: '2026-12-01', to: '2026-12-07' }),
  certificateStatistics: (b) => b.certificateStatistics('2026-12-01', '2026-12-07'),
  certificateStatisticsCsv: (b) => b.certificateStatisticsCsv('2026-12-01', '2026-12-07'),
  caseStatistics: (b) => b.caseStatistics('2026-12-01', '2026-12-07'),
  caseStatisticsCsv: (b) => b.caseStatisticsCsv('2026-12-01', '2026-12-07'),
  caseHistoryCsv: (b) => b.caseHistoryCsv('2026-12-01', '2026-12-07'),
  reprintCertificate: (b) => b.reprintCertificate('R08-000001', '用紙の汚れ'),
  stationStatus: (b) => b.stationStatus(),
  stationHours: (b) => b.stationHours(),
  issuanceRules: (b) => b.issuanceRules(),
  saveIssuanceRules: (b) => b.saveIssuanceRules({ support_measure_at_station: 'refuse' }),
  saveStationHours: (b) => b.saveStationHours({ enabled: true, days: [1, 2, 3, 4, 5], open: '08:30', close: '17:15', closed_days: ['2026-12-29'] }),
  identifyAtStation: (b) => b.identifyAtStation('0123456789abcdef'),
  stationRequests: (b) => b.stationRequests('2026-12-07'),
  actOnStationRequest: (b) => b.actOnStationRequest('req-12345678', { write_id: 'w-12345678', action: 'call' }),
  claimPrintJob: (b) => b.claimPrintJob(),
  stationSetups: (b) => b.stationSetups(),
  saveStationSetup: (b) => b.saveStationSetup('station-01', { offers: ['JUMINHYO'], auto_print: true, tower: false, show_fees: true, hours: { days: [1, 2, 3, 4, 5, 6], open: '09:00', close: '17:00' } }),
  linkageStatus: (b) => b.linkageStatus(),
  exportLinkage: (b) => b.exportLinkage(),
  confirmLinkage: (b) => b.confirmLinkage({ feed: '001o006', file: 'a.csv' }),
  terminals: (b) => b.terminals(),
  enrollTerminal: (b) => b.enrollTerminal('kiosk-1', { counters: ['shimin'], enrollment_code: 'ABCD' }),
  removeTerminal: (b) => b.removeTerminal('kiosk-1'),
  setCounterBrowser: (b) => b.setCounterBrowser('shimin', false),
  users: (b) => b.users(),
  createUser: (b) => b.createUser({ login: 'hanako', display_name: '山田 花子', groups: ['shimin'] }),
  editUser: (b) => b.editUser('hanako', { display_name: '山田 花子', groups: [], disabled: true, revision: 3 }),
  unlockUser: (b) => b.unlockUser('hanako'),
  resetPassword: (b) => b.resetPassword('hanako'),
  importUsers: (b) => b.importUsers({ file_base64: 'QUJD', encoding: 'cp932' }),
  exportUsers: (b) => b.exportUsers(),
  permissions: (b) => b.permissions(),
  groups: (b) => b.groups(),
  putGroup: (b) => b.putGroup('shimin', { name: '市民課', permissions: ['search'] }),
  counterSetups: (b) => b.counterSetups(),
  feeSettings: (b) => b.feeSettings(),
  saveFeeSettings: (b) => b.saveFeeSettings({ city: 'さくら野市', items: [{ code: 'JUMINHYO', name: '住民票の写し', yen: 300 }], exemptions: [], revision: 'standard' }),
  memoPhrases: (b) => b.memoPhrases(),
  saveMemoPhrases: (b) => b.saveMemoPhrases({ phrases: ['委任状を確認済み'], revision: 'standard' }),
  navigationEditor: (b) => b.navigationEditor(),
  navigationTranslationGaps: (b) => b.navigationTranslationGaps(),
  checkNavigationDraft: (b) => b.checkNavigationDraft({}),
  tryNavigationDraft: (b) =>
    b.tryNavigationDraft({ draft: {}, household: { event: '転入', event_date: '2026-12-08', household_after: [{ birth: '1990-04-01', mover: true }] } }),
  saveNavigationDraft: (b) => b.saveNavigationDraft({ draft: {}, revision: 'standard' }),
  publishNavigationDraft: (b) => b.publishNavigationDraft({ draft: {}, from: '2026-12-08', revision: 'standard' }),
  putCounter: (b) => b.putCounter('shimin-1', { name: '市民課 1番窓口', permissions: ['search'], browser_allowed: true }),
  certificateSettings: (b) => b.certificateSettings(),
  saveCertificateSettings: (b) => b.saveCertificateSettings({ mayor: 'さくら野市長　桜井　一郎', remove_seal: false }),
  previewCertificate: (b) => b.previewCertificate(),
  counterCertificates: (b) => b.counterCertificates(),
  saveCounterCertificates: (b) => b.saveCounterCertificates({ counters: [{ code: 'shisho-1', items: ['JUMINHYO'] }] }),
  formTemplates: (b) => b.formTemplates(),
  formTemplateSource: (b) => b.formTemplateSource('uketsukehyo', '2026-04'),
  previewFormTemplate: (b) => b.previewFormTemplate({ source: 'id = "uketsukehyo"' }),
  publishFormTemplate: (b) => b.publishFormTemplate({ source: 'id = "uketsukehyo"', version: '2027-01-01', valid_from: '2027-01-01' }),
  portalApplications: (b) => b.portalApplications('unprocessed'),
  portalApplication: (b) => b.portalApplication('1000000000000'),
  portalAttachment: (b) => b.portalAttachment('1000000000000', 0),
  importPortalZip: (b) => b.importPortalZip('UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=='),
  setPortalStatus: (b) => b.setPortalStatus('1000000000000', { status: 'done' }),
  makePortalCase: (b) => b.makePortalCase('1000000000000', null),
  portalConnector: (b) => b.portalConnector(),
  runPortalConnector: (b) => b.runPortalConnector(),
  formBackgrounds: (b) => b.formBackgrounds(),
  uploadFormBackground: (b) => b.uploadFormBackground({ name: 'official.pdf', pdf_base64: 'JVBERi0=' }),
  notices: (b) => b.notices(),
  noticeAudiences: (b) => b.noticeAudiences(),
  createNotice: (b) => b.createNotice(notice),
  updateNotice: (b) => b.updateNotice('n-1', { ...notice, revision: 1 }),
  myNotices: (b) => b.myNotices(),
  markNoticeRead: (b) => b.markNoticeRead('n-1'),
  maintenanceStatus: (b) => b.maintenanceStatus('demo'),
  publicTowns: (b) => b.publicTowns('demo'),
  signPreApplication: (b) => b.signPreApplication('demo', { event: '転居', members: [] }),
  sendPreApplication: (b) => b.sendPreApplication('demo', 'w-12345678', { event: '転居', members: [] }),
  deletePreApplication: (b) => b.deletePreApplication('demo', '12345678', '1990-05-01'),
  guide: (b) => b.guide('demo', { event: '転居', event_date: '2026-12-01', detail: '', household_before: [], household_after: [], answers: {} }),
  auditRecords: (b) => b.auditRecords({ from: '2026-12-01', to: '2026-12-07', user: 'demo', page: 2 }),
  auditRecordsCsv: (b) => b.auditRecordsCsv({ from: '2026-12-01', to: '2026-12-07', action: 'login' }),
  auditVerification: (b) => b.auditVerification(),
  discloseResidentAddress: (b) => b.discloseResidentAddress('000000000000019', '本人からの申出'),
};

/** A storage that already holds `key` (a session to log out of). */
function storageWith(key: string, value: string): Storage {
  const map = new Map<string, string>([[key, value]]);
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => void map.delete(k),
    setItem: (k, v) => void map.set(k, v),
  };
}

/** Records what the backend hands its transport (the transport itself still runs). */
function recordTransport(backend: Backend): Array<[Route, RequestParts]> {
  const transport = (backend as unknown as { transport: Transport }).transport;
  const spy = vi.spyOn(transport, 'send');
  return spy.mock.calls;
}

interface Wire {
  method: string;
  path: string;
  body: unknown;
}

async function overHttp(name: RouteName) {
  const wire: Wire[] = [];
  const fetchMock = async (url: string, init: RequestInit): Promise<Response> => {
    wire.push({ method: init.method!, path: url, body: init.body === undefined ? undefined : JSON.parse(init.body as string) });
    if (routes[name].answer === 'pdf') return new Response('%PDF', { status: 200, headers: { 'x-madoguchi-pages': '1' } });
    if (routes[name].answer === 'none') return new Response(null, { status: 204 });
    return new Response(JSON.stringify({ token: 'tok', id: 'case-12345678' }), { status: 200 });
  };
  const backend = new HttpBackend({
    fetch: fetchMock as unknown as typeof fetch,
    storage: storageWith('madoguchi.session-token', 'tok'),
  });
  const sent = recordTransport(backend);
  await CALLS[name](backend);
  return { sent, wire };
}

async function overTauri(name: RouteName) {
  const wire: Wire[] = [];
  const commands: string[] = [];
  const ipc: TauriIpc = {
    invoke: <T,>(command: string, args?: Record<string, unknown>): Promise<T> => {
      commands.push(command);
      const answer = (): unknown => {
        switch (command) {
          case 'api_request':
            wire.push({ method: args!.method as string, path: args!.path as string, body: args!.body });
            return { status: 200, body: { token: 'tok', id: 'case-12345678' } };
          case 'api_pdf':
            wire.push({ method: 'POST', path: args!.path as string, body: args!.body });
            return { status: 200, pdf_base64: btoa('%PDF') };
          case 'api_file':
            wire.push({ method: 'GET', path: args!.path as string, body: undefined });
            return { status: 200, file_base64: btoa('%PDF'), media_type: 'application/octet-stream' };
          case 'case_save':
            return { outcome: 'applied', revision: 1, message: null };
          default:
            throw { code: 'internal', message: command };
        }
      };
      return Promise.resolve(answer() as T);
    },
    listen: () => Promise.resolve(() => undefined),
  };
  const backend = new TauriBackend({ ipc, storage: storageWith('madoguchi.tauri-session', '1') });
  const sent = recordTransport(backend);
  await CALLS[name](backend);
  return { sent, wire, commands };
}

const NAMES = Object.keys(routes) as RouteName[];

describe('the server operations of both backends', () => {
  it('call every route of the table', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES.filter((name) => name !== 'saveCase'))(
    '%s: the same route and request on HttpBackend and TauriBackend, and the same request on the wire',
    async (name) => {
      const http = await overHttp(name);
      const tauri = await overTauri(name);

      expect(http.sent).toHaveLength(1);
      expect(http.sent[0]![0]).toBe(routes[name]);
      expect(tauri.sent).toHaveLength(1);
      expect(tauri.sent[0]![0]).toBe(routes[name]);
      expect(tauri.sent[0]![1]).toEqual(http.sent[0]![1]);

      expect(http.wire).toHaveLength(1);
      expect(http.wire[0]!.method).toBe(routes[name].method);
      expect(tauri.wire).toEqual(http.wire);
      const command = { pdf: 'api_pdf', file: 'api_file' }[routes[name].answer as string] ?? 'api_request';
      expect(tauri.commands).toEqual([command]);
    },
  );

  it('saveCase: a PUT of the route on HttpBackend; the runtime’s case_save, then the case read back, on TauriBackend', async () => {
    const http = await overHttp('saveCase');
    expect(http.sent.map(([r]) => r)).toEqual([routes.saveCase]);
    expect(http.wire).toEqual([{ method: 'PUT', path: '/api/v1/cases/case-12345678', body: save }]);

    const tauri = await overTauri('saveCase');
    expect(tauri.commands).toEqual(['case_save', 'api_request']);
    expect(tauri.sent.map(([r]) => r)).toEqual([routes.getCase]);
    expect(tauri.wire).toEqual([{ method: 'GET', path: '/api/v1/cases/case-12345678', body: undefined }]);
  });

  it('fill path parameters URI-encoded and drop empty query values, alike', async () => {
    const getCase = await overHttp('getCase');
    expect(getCase.wire[0]!.path).toBe('/api/v1/cases/case%201%3F');
    const household = await overTauri('household');
    expect(household.wire[0]!.path).toBe('/api/v1/households/0001%2F2');
    const search = await overTauri('searchResidents');
    expect(search.wire[0]!.path).toBe('/api/v1/residents?q=%E3%82%84%E3%81%BE%E3%81%A0&limit=5');
    const cases = await overHttp('listCases');
    expect(cases.wire[0]!.path).toBe('/api/v1/cases?status=open');
  });
});
