//! Generated applications in the portal's layout as [`super::adapter`] reads it: for the tests, the
//! portal simulator and the demo. Fictional people only.

use std::io::Write;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::adapter::{APPLICATION_FILE, Applicant, ApplicationDocument, AttachmentRef};
use super::forms::FORMS;

/// An application document with its attachments' contents.
#[derive(Debug, Clone)]
pub struct SampleApplication {
    pub document: ApplicationDocument,
    pub contents: Vec<Vec<u8>>,
}

const SURNAMES: [(&str, &str); 6] = [
    ("青木", "アオキ"),
    ("石川", "イシカワ"),
    ("上田", "ウエダ"),
    ("遠藤", "エンドウ"),
    ("大野", "オオノ"),
    ("加藤", "カトウ"),
];
const GIVEN: [(&str, &str); 5] = [
    ("陽菜", "ヒナ"),
    ("蓮", "レン"),
    ("結衣", "ユイ"),
    ("湊", "ミナト"),
    ("葵", "アオイ"),
];

/// A fictional applicant, the `i`th.
pub fn applicant(i: usize) -> Applicant {
    let (s, sk) = SURNAMES[i % SURNAMES.len()];
    let (g, gk) = GIVEN[(i / SURNAMES.len()) % GIVEN.len()];
    let birth = NaiveDate::from_ymd_opt(1980, 1, 1).expect("date") + Duration::days(97 * i as i64);
    Applicant {
        name: format!("{s} {g}"),
        kana: format!("{sk} {gk}"),
        birth_date: birth,
        address: format!("さくら野市本町{}丁目{}番地", i % 5 + 1, i % 30 + 1),
        postal_code: Some("999-0001".into()),
        phone: None,
        visit_on: None,
        notice_no: None,
    }
}

/// The `i`th sample application, received `i` hours before `base`; `applicant` overrides the
/// fictional one (the demo picks residents of the demo city so that matching finds them).
pub fn application(i: usize, base: DateTime<Utc>, who: Option<Applicant>) -> SampleApplication {
    let form = &FORMS[i % FORMS.len()];
    let pdf = format!("%PDF-1.4\n% sample attachment {i}\n").into_bytes();
    let mut applicant = who.unwrap_or_else(|| applicant(i));
    if form.kind == "tennyu_yoyaku" && applicant.visit_on.is_none() {
        // A 転入予約 states the day the household means to come: one to three days ahead.
        applicant.visit_on = Some(base.date_naive() + Duration::days(1 + (i % 3) as i64));
    }
    SampleApplication {
        document: ApplicationDocument {
            application_no: format!("{:013}", 1_000_000_000_000u64 + i as u64),
            form_code: form.code.into(),
            received_at: base - Duration::hours(i as i64),
            applicant,
            jpki_serial: i
                .is_multiple_of(2)
                .then(|| format!("{:x}", 0x5a00_0000u64 + i as u64)),
            attachments: vec![AttachmentRef {
                file: "attachments/identity.pdf".into(),
                name: "本人確認書類.pdf".into(),
                media_type: "application/pdf".into(),
            }],
        },
        contents: vec![pdf],
    }
}

/// A ZIP as 申請管理's download, in the layout the adapter assumes: a folder per application.
pub fn zip(applications: &[SampleApplication]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for a in applications {
        let folder = &a.document.application_no;
        let json = serde_json::to_vec_pretty(&a.document).expect("document serializes");
        w.start_file(format!("{folder}/{APPLICATION_FILE}"), opts)
            .expect("zip entry");
        w.write_all(&json).expect("zip write");
        for (r, bytes) in a.document.attachments.iter().zip(&a.contents) {
            w.start_file(format!("{folder}/{}", r.file), opts)
                .expect("zip entry");
            w.write_all(bytes).expect("zip write");
        }
    }
    w.finish().expect("zip finish").into_inner()
}
