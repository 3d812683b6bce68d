//! `madoguchi-card status | read [--my-number] [--show] | auth` — diagnostics for IT: which readers
//! there are, the card's state and PIN tries left, and whether reading and JPKI authentication work.
//! The PIN is read from standard input (one line). Card contents are not printed unless `--show`.

use std::io::BufRead;

use madoguchi_card_pcsc::Readers;
use madoguchi_mynumber::apdu::sha256_digest_info;
use madoguchi_mynumber::{CardError, Pin};
use ring::rand::SecureRandom;

const USAGE: &str = "usage: madoguchi-card [--reader NAME] status | read [--my-number] [--show] | auth
  status  readers, card state and PIN tries left (JSON)
  read    券面事項入力補助: verify the PIN (from stdin), read 基本4情報 (and the 個人番号 with --my-number)
  auth    JPKI: read the 利用者証明用電子証明書, verify the PIN (stdin), sign a random challenge";

fn pin_from_stdin() -> anyhow::Result<Pin> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let pin = Pin::four_digits(line.trim());
    zeroize_string(&mut line);
    pin.ok_or_else(|| anyhow::anyhow!("暗証番号は4桁の数字で入力してください。"))
}

fn zeroize_string(s: &mut String) {
    // Overwrite the typed PIN before the buffer is freed.
    let len = s.len();
    s.clear();
    s.extend(std::iter::repeat_n('0', len));
    s.clear();
}

fn fail(e: &CardError) -> anyhow::Error {
    anyhow::anyhow!("{}", e.message_ja())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("エラー: {e}");
            std::process::ExitCode::from(1)
        }
    }
}

fn run() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut wanted = None;
    if let Some(i) = args.iter().position(|a| a == "--reader") {
        wanted = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
    }
    let mut readers = Readers::new(wanted);
    match args.first().map(String::as_str) {
        Some("status") => {
            let names = readers.list().unwrap_or_default();
            let status = readers.status();
            println!(
                "{}",
                serde_json::json!({ "readers": names, "status": status })
            );
            Ok(())
        }
        Some("read") => {
            let with_my_number = args.iter().any(|a| a == "--my-number");
            let show = args.iter().any(|a| a == "--show");
            let pin = pin_from_stdin()?;
            let mut card = readers.connect().map_err(|e| fail(&e.into()))?;
            let (basic4, my_number) = card
                .read_text(&pin, with_my_number, false)
                .map_err(|e| fail(&e))?;
            let person = basic4.person(my_number);
            if show {
                println!("{}", serde_json::to_string_pretty(&person)?);
            } else {
                println!(
                    "基本4情報を読み取りました（氏名 {} 文字、住所 {} 文字、生年月日あり、個人番号 {}）。APDU {} 回。",
                    person.name.chars().count(),
                    person.address.chars().count(),
                    if person.my_number.is_some() {
                        "検査数字一致"
                    } else {
                        "読み取りなし"
                    },
                    card.apdus()
                );
            }
            Ok(())
        }
        Some("auth") => {
            let mut card = readers.connect().map_err(|e| fail(&e.into()))?;
            let certificate = card.read_auth_certificate().map_err(|e| fail(&e))?;
            let pin = pin_from_stdin()?;
            let mut challenge = [0u8; 32];
            ring::rand::SystemRandom::new()
                .fill(&mut challenge)
                .map_err(|_| anyhow::anyhow!("乱数を生成できません。"))?;
            let hash = ring::digest::digest(&ring::digest::SHA256, &challenge);
            let mut h = [0u8; 32];
            h.copy_from_slice(hash.as_ref());
            let signature = card
                .sign_auth(&pin, &sha256_digest_info(&h), false)
                .map_err(|e| fail(&e))?;
            println!(
                "利用者証明用電子証明書 {} バイトを読み取り、署名 {} バイトを得ました。",
                certificate.len(),
                signature.len()
            );
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}
