//! `certificate …`: check a certificate's verification QR, and revoke a certificate, from the command
//! line (a receiving office's or an auditor's check without the staff app).

use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use madoguchi_server::certificates::{self, Verdict};
use madoguchi_store::{Revocation, Store, TenantId};

use crate::cli_event;

#[derive(Subcommand)]
pub(crate) enum CertificateWhat {
    /// Check the text of a certificate's QR code: prints 有効, 改ざんの疑い, 失効 or 本市発行ではない and the
    /// record (no address); exit 0 only when valid, 1 otherwise.
    Verify {
        /// The QR code's text as a scanner types it (`MDG1.…`).
        qr: String,
    },
    /// Revoke (失効) a certificate by its 発行番号, with the reason (audited).
    Revoke {
        issue_no: String,
        #[arg(long)]
        reason: String,
    },
}

pub(crate) fn run(
    store: &dyn Store,
    tenant: &TenantId,
    what: CertificateWhat,
) -> anyhow::Result<ExitCode> {
    match what {
        CertificateWhat::Verify { qr } => verify(store, tenant, &qr),
        CertificateWhat::Revoke { issue_no, reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                anyhow::bail!("失効の理由（--reason）を入力してください。");
            }
            let revocation = Revocation {
                issue_no: issue_no.clone(),
                at: Utc::now(),
                by: "cli".into(),
                reason: reason.to_owned(),
            };
            let event = madoguchi_store::AuditEvent {
                reason: Some(reason.to_owned()),
                ..cli_event(tenant, "certificate.revoke", &issue_no)
            };
            match store.revoke_certificate(tenant, &revocation, &event) {
                Ok(_) => {
                    println!("{issue_no} を失効させました。");
                    Ok(ExitCode::SUCCESS)
                }
                Err(madoguchi_store::StoreError::NotFound(_)) => {
                    anyhow::bail!("発行番号 {issue_no} の証明書はありません。")
                }
                Err(madoguchi_store::StoreError::Conflict(_)) => {
                    anyhow::bail!("発行番号 {issue_no} の証明書は既に失効しています。")
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

fn verify(store: &dyn Store, tenant: &TenantId, qr: &str) -> anyhow::Result<ExitCode> {
    let signer = madoguchi_server::api::qr::stored_signer(store, tenant)
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let (verdict, record) =
        certificates::verify_symbols(store, tenant, signer.as_ref(), &[qr.to_owned()])?;
    let label = match verdict {
        Verdict::Valid => "有効",
        Verdict::Altered => "改ざんの疑い",
        Verdict::Revoked => "失効",
        Verdict::NotOurs => "本市発行ではない",
    };
    println!("{label}: {}", verdict.message_ja());
    if let Some(r) = &record {
        let listed = certificates::listed(r);
        println!("発行番号: {}", r.issue_no);
        println!("証明書: {}", listed.title);
        println!("氏名: {}", listed.names.join("、"));
        println!("生年月日: {}", listed.births.join("、"));
        println!(
            "発行日時: {}（窓口 {}、{}）",
            r.issued_at.to_rfc3339(),
            r.place,
            r.issued_by
        );
        if let (Some(at), Some(reason)) = (r.revoked_at, &r.revoke_reason) {
            println!("失効: {}（{reason}）", at.to_rfc3339());
        }
    }
    store.append_read_audit(&madoguchi_store::AuditEvent {
        result: verdict.code().into(),
        ..cli_event(
            tenant,
            "certificate.verify",
            record.as_ref().map_or("", |r| r.issue_no.as_str()),
        )
    })?;
    Ok(if verdict == Verdict::Valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
