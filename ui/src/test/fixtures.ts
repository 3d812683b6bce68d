import type { CounterView, HouseholdView, ResidentView, SessionUser } from '../api/types';

export const demoCounters: CounterView[] = [
  { code: 'shimin', name: '市民課' },
  { code: 'hoken', name: '保険年金課' },
];

export const demoUser: SessionUser = {
  tenant: 'demo',
  tenant_name: 'デモ市',
  login: 'tanaka',
  display_name: '田中 一郎',
  counter: 'shimin',
  counter_name: '市民課',
  permissions: ['resident.read'],
};

/** A resident with plausible values; override what the test is about. */
export function makeResident(overrides: Partial<ResidentView> = {}): ResidentView {
  return {
    atena_no: '000000000000001',
    household_no: '100000000000001',
    kind: 'japanese',
    status: 'resident',
    status_label: '住民',
    name: '山田 太郎',
    kana: 'ヤマダ タロウ',
    birth_date: '1975-04-01',
    birth_display: '昭和50年4月1日',
    birth_unknown: false,
    age: 51,
    sex: 'male',
    sex_label: '男',
    relation: '世帯主',
    address: {
      full: '東京都デモ市本町一丁目1番1号',
      city_code: '139999',
      prefecture: '東京都',
      city: 'デモ市',
      town: '本町一丁目',
      banchi: '1番1号',
    },
    address_masked: false,
    support_measure: false,
    support_measure_label: null,
    ...overrides,
  };
}

export function makeHousehold(members: ResidentView[]): HouseholdView {
  const masked = members.some((m) => m.address_masked);
  return {
    household_no: members[0]?.household_no ?? '100000000000001',
    address_masked: masked,
    address: masked ? null : (members[0]?.address?.full ?? null),
    members,
  };
}
