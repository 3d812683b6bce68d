//! Shared fixtures: resident CSV rows built from column overrides over valid defaults.
#![allow(dead_code)]

use chrono::NaiveDate;
use madoguchi_core::ids::AtenaNo;
use madoguchi_server::import::{CsvEncoding, ImportOptions, sha256_hex};
use madoguchi_store::ImportMode;

pub const HEADER: &[&str] = &[
    "宛名番号",
    "世帯番号",
    "住民種別",
    "住民状態",
    "氏名",
    "氏",
    "名",
    "氏名_フリガナ",
    "旧氏",
    "通称",
    "通称_フリガナ",
    "氏名_外国人ローマ字",
    "氏名_外国人漢字",
    "生年月日",
    "生年月日_不詳フラグ",
    "生年月日_不詳表記",
    "性別",
    "続柄表記",
    "住所_市区町村コード",
    "住所_町字コード",
    "住所_都道府県",
    "住所_市区郡町村名",
    "住所_町字",
    "住所_番地号表記",
    "住所_方書",
    "住所_郵便番号",
    "住民となった年月日",
    "住所を定めた年月日",
    "国籍名等",
    "在留資格",
    "在留期間",
    "在留期間の満了の日",
    "支援措置",
    "仮支援措置",
];

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

pub fn atena(seq: u64) -> String {
    AtenaNo::from_sequence(seq).as_str().to_owned()
}

fn quote(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// One CSV line (no line end) for `HEADER`: valid defaults for a Japanese 世帯主, then `overrides`.
pub fn row(seq: u64, household: u64, overrides: &[(&str, &str)]) -> String {
    let a = atena(seq);
    let h = atena(household);
    let banchi = format!("{household}番地");
    let defaults: Vec<(&str, &str)> = vec![
        ("宛名番号", &a),
        ("世帯番号", &h),
        ("住民種別", "日本人住民"),
        ("住民状態", "住民"),
        ("氏名", "山田\u{3000}太郎"),
        ("氏", "山田"),
        ("名", "太郎"),
        ("氏名_フリガナ", "ヤマダ\u{3000}タロウ"),
        ("生年月日", "1975-01-01"),
        ("性別", "男"),
        ("続柄表記", "世帯主"),
        ("住所_市区町村コード", "102121"),
        ("住所_町字コード", "0001001"),
        ("住所_都道府県", "群馬県"),
        ("住所_市区郡町村名", "さくら野市"),
        ("住所_町字", "本町"),
        ("住所_番地号表記", &banchi),
        ("住所_郵便番号", "376-0001"),
        ("住民となった年月日", "2000-04-01"),
        ("住所を定めた年月日", "2000-04-01"),
        ("支援措置", "0"),
    ];
    HEADER
        .iter()
        .map(|col| {
            let v = overrides
                .iter()
                .rev()
                .find(|(c, _)| c == col)
                .or_else(|| defaults.iter().find(|(c, _)| c == col))
                .map_or("", |(_, v)| *v);
            quote(v)
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn csv(rows: &[String]) -> String {
    let mut s = HEADER.join(",");
    s.push('\n');
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// A small city: a three-generation household with variant kanji, a 𠮷田 single, a foreign resident
/// with 通称, and a 支援措置 resident.
pub fn small_city() -> String {
    csv(&[
        row(
            1,
            100,
            &[
                ("氏名", "髙橋\u{3000}太郎"),
                ("氏", "髙橋"),
                ("氏名_フリガナ", "タカハシ\u{3000}タロウ"),
                ("生年月日", "昭和50年1月1日"),
            ],
        ),
        row(
            2,
            100,
            &[
                ("氏名", "髙橋\u{3000}花子"),
                ("氏", "髙橋"),
                ("名", "花子"),
                ("氏名_フリガナ", "たかはし　はなこ"),
                ("生年月日", "S52.3.3"),
                ("性別", "女"),
                ("続柄表記", "妻"),
                ("旧氏", "佐藤"),
            ],
        ),
        row(
            3,
            100,
            &[
                ("氏名", "髙橋\u{3000}一郎"),
                ("氏", "髙橋"),
                ("名", "一郎"),
                ("氏名_フリガナ", "ﾀｶﾊｼ ｲﾁﾛｳ"),
                ("生年月日", "2012-04-02"),
                ("続柄表記", "子"),
            ],
        ),
        row(
            4,
            100,
            &[
                ("氏名", "髙橋\u{3000}ハル"),
                ("氏", "髙橋"),
                ("名", "ハル"),
                ("氏名_フリガナ", "タカハシ\u{3000}ハル"),
                ("生年月日", "1948-02-29"),
                ("性別", "女"),
                ("続柄表記", "母"),
            ],
        ),
        row(
            5,
            100,
            &[
                ("氏名", "髙橋\u{3000}二郎"),
                ("氏", "髙橋"),
                ("名", "二郎"),
                ("氏名_フリガナ", "タカハシ\u{3000}ジロウ"),
                ("生年月日", "2010-07-07"),
                ("続柄表記", "子"),
            ],
        ),
        row(
            6,
            200,
            &[
                ("氏名", "𠮷田\u{3000}健"),
                ("氏", "𠮷田"),
                ("名", "健"),
                ("氏名_フリガナ", "ヨシダ\u{3000}ケン"),
                ("生年月日", "1950-12-31"),
            ],
        ),
        row(
            7,
            300,
            &[
                ("住民種別", "外国人住民"),
                ("氏名", "NGUYEN VAN AN"),
                ("氏", ""),
                ("名", ""),
                ("氏名_フリガナ", ""),
                ("氏名_外国人ローマ字", "NGUYEN VAN AN"),
                ("通称", "山本\u{3000}アン"),
                ("通称_フリガナ", "ヤマモト\u{3000}アン"),
                ("生年月日", "1995-08-20"),
                ("国籍名等", "ベトナム"),
                ("在留資格", "技術・人文知識・国際業務"),
                ("在留期間", "3年"),
                ("在留期間の満了の日", "2028-03-31"),
            ],
        ),
        row(
            8,
            400,
            &[
                ("氏名", "渡邉\u{3000}さくら"),
                ("氏", "渡邉"),
                ("名", "さくら"),
                ("氏名_フリガナ", "ワタナベ\u{3000}サクラ"),
                ("生年月日", "1990-05-05"),
                ("性別", "女"),
                ("支援措置", "1"),
                ("住所_方書", "さくら野ハイツ201号"),
            ],
        ),
    ])
}

pub fn options(mode: ImportMode, bytes: &[u8]) -> ImportOptions {
    ImportOptions {
        audit: None,
        mode,
        encoding: CsvEncoding::Utf8,
        skip_invalid: false,
        today: today(),
        source_name: "test.csv".into(),
        sha256: sha256_hex(bytes).expect("hash"),
    }
}

/// The audit event tests use for setup changes.
pub fn setup_event(
    tenant: &madoguchi_store::TenantId,
    action: &str,
) -> madoguchi_store::AuditEvent {
    madoguchi_store::AuditEvent {
        terminal: Some("test-setup".into()),
        ..madoguchi_server::audit::event(tenant, None, None, action, None, "ok")
    }
}

/// Counters every test tenant has: `市民課1番` and `1`, both allowing everything.
pub const TEST_COUNTERS: &[&str] = &["市民課1番", "1"];

/// A group `all` with every permission, the test counters, and the account `staff` (password
/// `correct-horse-battery`) in the group.
pub fn staff_with_all_permissions(
    store: &dyn madoguchi_store::Store,
    tenant: &madoguchi_store::TenantId,
) {
    use madoguchi_store::{CounterRecord, GroupRecord, PermissionSet};
    store
        .put_group(
            tenant,
            &GroupRecord {
                code: "all".into(),
                name: "全権限".into(),
                permissions: PermissionSet::all(),
            },
            &setup_event(tenant, "group.put"),
        )
        .expect("group");
    for code in TEST_COUNTERS {
        store
            .put_counter(
                tenant,
                &CounterRecord {
                    code: (*code).into(),
                    name: format!("{code}窓口"),
                    permissions: PermissionSet::all(),
                    browser_allowed: true,
                },
                &setup_event(tenant, "counter.put"),
            )
            .expect("counter");
    }
    let spec = madoguchi_server::auth::AccountSpec {
        login: "staff",
        display_name: "窓口 太郎",
        password: "correct-horse-battery",
        groups: vec!["all".into()],
        valid_until: None,
    };
    madoguchi_server::auth::create_user(store, tenant, &spec, &setup_event(tenant, "user.create"))
        .expect("user");
}

/// An authenticated GET.
pub fn get(uri: &str, token: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(uri)
        .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .expect("request")
}

/// A case document about a 転居 of resident `atena_no` (see `api::cases::CaseDocument`).
pub fn case_document(atena_no: &str, name: &str) -> serde_json::Value {
    serde_json::json!({
        "visitor": {"kind": "本人", "atena_no": atena_no, "name": name, "id_document": "マイナンバーカード"},
        "notifications": [{
            "kind": "転居", "event_date": "2026-11-20", "old_address": "群馬県さくら野市本町一丁目1番1号",
            "head_name": name,
            "new_address": {"town": "本町二丁目", "banchi": "3番4号", "full": "群馬県さくら野市本町二丁目3番4号"},
            "members": [{"atena_no": atena_no, "name": name, "kana": "タカハシ　タロウ",
                "facts": {"birth": "1975-01-01", "sex": "男", "relation": "世帯主", "mover": true, "kokuho": true}}]
        }],
        "procedures": [
            {"code": "JUKI-TENKYO", "name": "転居届", "counter": "市民課", "on_the_spot": true, "state": "pending",
             "reasons": ["市内で引っ越したため"], "forms": ["ido-todoke"]},
            {"code": "KOKUHO-JUSHO", "name": "国民健康保険 住所変更", "counter": "保険年金課", "on_the_spot": false,
             "state": "pending", "reasons": ["国保の加入者が引っ越したため"], "forms": ["kokuho-ido"]}
        ]
    })
}

/// Stores case `id` about resident `atena_no` directly in the store (fixtures).
pub fn seed_case(store: &dyn madoguchi_store::Store, tenant: &str, id: &str, atena_no: &str) {
    let t = madoguchi_store::TenantId(tenant.to_owned());
    let write = madoguchi_store::CaseWrite {
        case_id: id.into(),
        expected_revision: None,
        status: "open".into(),
        title: "転居".into(),
        subjects: vec![atena_no.into()],
        procedures: vec!["JUKI-TENKYO".into()],
        document: case_document(atena_no, "髙橋\u{3000}太郎").to_string(),
        entry: madoguchi_store::CaseEntry {
            write_id: format!("seed-{id}"),
            at: chrono::Utc::now(),
            user: "staff".into(),
            counter: "1".into(),
            terminal: None,
            lines: vec!["案件を作成".into()],
        },
    };
    store
        .save_case(&t, &write, &setup_event(&t, "case.create"))
        .expect("case");
}

/// An enrolled terminal of the tests: a fresh Ed25519 device key registered for `counters`.
pub struct TestDevice {
    pub id: String,
    pair: ring::signature::Ed25519KeyPair,
}

impl TestDevice {
    /// The key of terminal `id` (the same for the same id), not enrolled anywhere yet.
    pub fn new(id: &str) -> TestDevice {
        Self::with_seed(id, id)
    }

    /// Terminal `id` with the key made from `seed` (another seed: another key).
    pub fn with_seed(id: &str, seed: &str) -> TestDevice {
        let seed = ring::digest::digest(&ring::digest::SHA256, seed.as_bytes());
        TestDevice {
            id: id.into(),
            pair: ring::signature::Ed25519KeyPair::from_seed_unchecked(seed.as_ref()).expect("key"),
        }
    }

    /// The key of [`Self::new`], enrolled in `tenant` for `counters`.
    pub fn enroll(
        store: &dyn madoguchi_store::Store,
        tenant: &madoguchi_store::TenantId,
        id: &str,
        counters: &[&str],
    ) -> TestDevice {
        let device = Self::new(id);
        store
            .put_terminal(
                tenant,
                &madoguchi_store::TerminalRecord {
                    id: id.into(),
                    name: id.into(),
                    public_key: device.public_key(),
                    counters: counters.iter().map(|c| (*c).to_owned()).collect(),
                    registered_at: chrono::Utc::now(),
                    registered_by: "test-setup".into(),
                },
                &setup_event(tenant, "terminal.put"),
            )
            .expect("terminal");
        device
    }

    pub fn public_key(&self) -> [u8; 32] {
        use ring::signature::KeyPair as _;
        self.pair
            .public_key()
            .as_ref()
            .try_into()
            .expect("32 bytes")
    }

    pub fn enrollment_code(&self) -> String {
        madoguchi_core::enrollment::enrollment_code(&self.public_key())
    }

    /// A login request as the terminal's runtime sends it, signed at `signed_at`.
    pub fn login_at(
        &self,
        tenant: &str,
        user: &str,
        password: &str,
        counter: &str,
        signed_at: chrono::DateTime<chrono::Utc>,
    ) -> serde_json::Value {
        use base64::Engine as _;
        let at = signed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let message =
            madoguchi_core::enrollment::login_message(tenant, &self.id, user, counter, &at)
                .expect("message");
        let signature = base64::engine::general_purpose::STANDARD.encode(self.pair.sign(&message));
        serde_json::json!({"tenant": tenant, "user": user, "password": password, "counter": counter,
            "device": {"terminal": self.id, "signed_at": at, "signature": signature}})
    }

    /// [`Self::login_at`] now.
    pub fn login(
        &self,
        tenant: &str,
        user: &str,
        password: &str,
        counter: &str,
    ) -> serde_json::Value {
        self.login_at(tenant, user, password, counter, chrono::Utc::now())
    }
}
