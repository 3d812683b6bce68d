//! Printing: PDFs to the system printer (CUPS `lp` on Linux, the Windows spooler through the print verb),
//! and ESC/POS receipts (受付票) to a receipt printer over TCP or a device file. `mock:<folder>` is the
//! **mock printer** of the tests (a test double: it writes each job to the folder); it is never the
//! default.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("no printer configured")]
    NotConfigured,
    #[error("printer failed: {0}")]
    Failed(String),
}

impl PrintError {
    pub fn message_ja(&self) -> String {
        match self {
            PrintError::NotConfigured => {
                "プリンターが設定されていません。職員にお声がけください。".into()
            }
            PrintError::Failed(_) => {
                "印刷できませんでした。プリンターの電源と用紙を確認してください。".into()
            }
        }
    }
}

/// Where a job goes, parsed from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A CUPS queue (Linux) or Windows printer, by name.
    System(String),
    /// ESC/POS over TCP (`tcp://host:9100`).
    Tcp(String),
    /// A device file (`/dev/usb/lp0`, `\\.\COM3`).
    Device(PathBuf),
    /// The mock printer of the tests: one file per job in this folder.
    Mock(PathBuf),
}

impl Target {
    /// `system` tells how a bare name is meant: a system queue (documents) or a device (receipts).
    pub fn parse(spec: &str, bare_is_device: bool) -> Target {
        if let Some(dir) = spec.strip_prefix("mock:") {
            Target::Mock(PathBuf::from(dir))
        } else if let Some(addr) = spec.strip_prefix("tcp://") {
            Target::Tcp(addr.to_owned())
        } else if bare_is_device || spec.starts_with('/') || spec.starts_with("\\\\.\\") {
            Target::Device(PathBuf::from(spec))
        } else {
            Target::System(spec.to_owned())
        }
    }

    pub fn label(&self) -> String {
        match self {
            Target::System(n) => n.clone(),
            Target::Tcp(a) => format!("tcp://{a}"),
            Target::Device(p) => p.display().to_string(),
            Target::Mock(_) => "mock".into(),
        }
    }
}

fn mock_write(dir: &PathBuf, ext: &str, bytes: &[u8]) -> Result<(), PrintError> {
    std::fs::create_dir_all(dir).map_err(|e| PrintError::Failed(e.to_string()))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f");
    let tmp = dir.join(format!(".{stamp}.{ext}.part"));
    let path = dir.join(format!("{stamp}.{ext}"));
    std::fs::write(&tmp, bytes).map_err(|e| PrintError::Failed(e.to_string()))?;
    std::fs::rename(&tmp, &path).map_err(|e| PrintError::Failed(e.to_string()))
}

/// Sends a PDF to a document printer.
pub fn print_pdf(target: &Target, pdf: &[u8]) -> Result<(), PrintError> {
    match target {
        // The mock printer jams while its folder holds a `jammed` marker (for the tests of a
        // printer failing mid-job).
        Target::Mock(dir) if dir.join("jammed").exists() => {
            Err(PrintError::Failed("mock printer: jammed".into()))
        }
        Target::Mock(dir) => mock_write(dir, "pdf", pdf),
        Target::System(name) => system_print(name, pdf),
        Target::Tcp(_) | Target::Device(_) => send_raw(target, pdf),
    }
}

/// CUPS: the PDF goes to `lp` on its standard input, so that no file with personal data is written
/// (Security II point 18).
#[cfg(not(windows))]
fn system_print(name: &str, pdf: &[u8]) -> Result<(), PrintError> {
    lp_print("lp", name, pdf)
}

#[cfg(not(windows))]
fn lp_print(program: &str, name: &str, pdf: &[u8]) -> Result<(), PrintError> {
    use std::io::Write as _;
    let mut child = Command::new(program)
        .args(["-d", name, "-t", "madoguchi"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| PrintError::Failed(format!("lp: {e}")))?;
    let written = child
        .stdin
        .take()
        .map(|mut stdin| stdin.write_all(pdf))
        .transpose();
    let out = child
        .wait_with_output()
        .map_err(|e| PrintError::Failed(format!("lp: {e}")))?;
    written.map_err(|e| PrintError::Failed(format!("lp: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(PrintError::Failed(format!(
            "lp exited with {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// Windows: the PDF handler's `PrintTo` verb with the printer's name (the spooler queues the job). The
/// file lives in a new folder of the user's own temporary folder, removed when the job is queued.
#[cfg(windows)]
fn system_print(name: &str, pdf: &[u8]) -> Result<(), PrintError> {
    let dir = tempfile::Builder::new()
        .prefix("madoguchi-print-")
        .tempdir()
        .map_err(|e| PrintError::Failed(e.to_string()))?;
    let file = dir.path().join("job.pdf");
    std::fs::write(&file, pdf).map_err(|e| PrintError::Failed(e.to_string()))?;
    let script = format!(
        "Start-Process -FilePath '{}' -Verb PrintTo -ArgumentList '\"{}\"' -WindowStyle Hidden -Wait",
        file.display().to_string().replace('\'', "''"),
        name.replace('\'', "''")
    );
    let out = Command::new("powershell")
        .args(["-NoProfile", "-NonInteractive", "-Command", &script])
        .output()
        .map_err(|e| PrintError::Failed(format!("powershell: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(PrintError::Failed(format!(
            "PrintTo exited with {}",
            out.status
        )))
    }
}

fn send_raw(target: &Target, bytes: &[u8]) -> Result<(), PrintError> {
    let fail = |e: std::io::Error| PrintError::Failed(e.to_string());
    match target {
        Target::Tcp(addr) => {
            use std::net::ToSocketAddrs;
            let sock = addr
                .to_socket_addrs()
                .map_err(fail)?
                .next()
                .ok_or_else(|| PrintError::Failed(format!("no address for {addr}")))?;
            let mut s =
                std::net::TcpStream::connect_timeout(&sock, std::time::Duration::from_secs(3))
                    .map_err(fail)?;
            s.set_write_timeout(Some(std::time::Duration::from_secs(10)))
                .map_err(fail)?;
            s.write_all(bytes).map_err(fail)?;
            s.flush().map_err(fail)
        }
        Target::Device(path) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            f.write_all(bytes).map_err(fail)?;
            f.flush().map_err(fail)
        }
        Target::Mock(dir) => mock_write(dir, "escpos", bytes),
        Target::System(_) => Err(PrintError::Failed(
            "a receipt printer needs tcp://, a device or mock:".into(),
        )),
    }
}

/// Sends an ESC/POS job to a receipt printer.
pub fn print_receipt(target: &Target, job: &[u8]) -> Result<(), PrintError> {
    send_raw(target, job)
}

/// An ESC/POS receipt for Japanese receipt printers (Kanji mode, Shift_JIS text, native QR code, cut).
#[derive(Debug, Default)]
pub struct Receipt {
    bytes: Vec<u8>,
}

impl Receipt {
    pub fn new() -> Receipt {
        // ESC @ (initialise), FS & (Kanji mode on), FS C 1 (Shift_JIS).
        Receipt {
            bytes: vec![0x1B, 0x40, 0x1C, 0x26, 0x1C, 0x43, 0x01],
        }
    }

    /// `ESC a n`: 0 left, 1 centre.
    pub fn center(mut self, on: bool) -> Receipt {
        self.bytes.extend([0x1B, 0x61, u8::from(on)]);
        self
    }

    /// `GS ! n`: width and height multiplier (1–8).
    pub fn size(mut self, w: u8, h: u8) -> Receipt {
        let w = w.clamp(1, 8) - 1;
        let h = h.clamp(1, 8) - 1;
        self.bytes.extend([0x1D, 0x21, (w << 4) | h]);
        self
    }

    /// A line of text in Shift_JIS (characters Shift_JIS lacks print as `〓`).
    pub fn line(mut self, text: &str) -> Receipt {
        let mut out = Vec::new();
        for ch in text.chars() {
            let mut buf = [0u8; 4];
            let (enc, _, bad) = encoding_rs::SHIFT_JIS.encode(ch.encode_utf8(&mut buf));
            if bad {
                out.extend([0x81, 0xAC]); // 〓
            } else {
                out.extend_from_slice(&enc);
            }
        }
        self.bytes.extend(out);
        self.bytes.push(b'\n');
        self
    }

    /// A QR code (`GS ( k`: model 2, module size, error level M, store, print).
    pub fn qr(mut self, data: &str, module: u8) -> Receipt {
        let data = data.as_bytes();
        let store_len = data.len() + 3;
        let (pl, ph) = ((store_len % 256) as u8, (store_len / 256) as u8);
        self.bytes
            .extend([0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]);
        self.bytes.extend([
            0x1D,
            0x28,
            0x6B,
            0x03,
            0x00,
            0x31,
            0x43,
            module.clamp(1, 16),
        ]);
        self.bytes
            .extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]);
        self.bytes
            .extend([0x1D, 0x28, 0x6B, pl, ph, 0x31, 0x50, 0x30]);
        self.bytes.extend_from_slice(data);
        self.bytes
            .extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]);
        self.bytes.push(b'\n');
        self
    }

    /// Feed and partial cut (`GS V 66 n`).
    pub fn cut(mut self) -> Vec<u8> {
        self.bytes.extend([0x1D, 0x56, 0x42, 0x03]);
        self.bytes
    }
}

/// What a receipt printer was asked to print, read back from the ESC/POS bytes (tests and diagnostics):
/// the text lines (decoded from Shift_JIS) and the QR codes' data.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ParsedReceipt {
    pub lines: Vec<String>,
    pub qr: Vec<String>,
    pub cut: bool,
}

pub fn parse_receipt(bytes: &[u8]) -> ParsedReceipt {
    let mut out = ParsedReceipt::default();
    let mut text = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1B => {
                // ESC @ (2 bytes), ESC a n (3)
                i += if bytes.get(i + 1) == Some(&0x40) {
                    2
                } else {
                    3
                };
            }
            0x1C => {
                // FS & (2), FS C n (3)
                i += if bytes.get(i + 1) == Some(&0x43) {
                    3
                } else {
                    2
                };
            }
            0x1D => match bytes.get(i + 1) {
                Some(0x21) => i += 3,
                Some(0x56) => {
                    out.cut = true;
                    i += 4;
                }
                Some(0x28) => {
                    let pl = usize::from(bytes.get(i + 3).copied().unwrap_or(0));
                    let ph = usize::from(bytes.get(i + 4).copied().unwrap_or(0));
                    let len = pl + ph * 256;
                    let body = bytes.get(i + 5..i + 5 + len).unwrap_or(&[]);
                    if body.len() >= 3 && body[1] == 0x50 {
                        out.qr
                            .push(String::from_utf8_lossy(&body[3..]).into_owned());
                    }
                    i += 5 + len;
                }
                _ => i += 2,
            },
            b'\n' => {
                if !text.is_empty() {
                    let (s, _, _) = encoding_rs::SHIFT_JIS.decode(&text);
                    out.lines.push(s.into_owned());
                    text.clear();
                }
                i += 1;
            }
            b => {
                text.push(b);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_receipt_reads_back_with_its_japanese_text_qr_and_cut() {
        let job = Receipt::new()
            .center(true)
            .size(2, 2)
            .line("受付票")
            .size(1, 1)
            .line("受付番号 kiosk-01-0007")
            .line("髙橋　太郎 様")
            .qr("kiosk-01-0007", 6)
            .cut();
        let parsed = parse_receipt(&job);
        assert_eq!(
            parsed.lines,
            ["受付票", "受付番号 kiosk-01-0007", "髙橋　太郎 様"]
        );
        assert_eq!(parsed.qr, ["kiosk-01-0007"]);
        assert!(parsed.cut);
        // 髙 is not in Shift_JIS proper (IBM extension in CP932, which encoding_rs also maps).
        assert!(job.windows(2).any(|w| w == [0x1C, 0x26]), "Kanji mode on");
    }

    #[test]
    fn a_receipt_goes_to_a_network_receipt_printer_whole() {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let printer = std::thread::spawn(move || {
            let (mut conn, _) = listener.accept().expect("accept");
            let mut got = Vec::new();
            conn.read_to_end(&mut got).expect("read");
            got
        });
        let job = Receipt::new().line("受付番号 0001").qr("0001", 4).cut();
        print_receipt(&Target::parse(&format!("tcp://{addr}"), true), &job).expect("printed");
        let got = printer.join().expect("printer thread");
        assert_eq!(got, job);
        assert_eq!(parse_receipt(&got).qr, ["0001"]);
        // Nobody listening: a Japanese message for the screen.
        let e = print_receipt(&Target::parse("tcp://127.0.0.1:9", true), &job).expect_err("fails");
        assert!(e.message_ja().contains("印刷できませんでした"));
    }

    #[test]
    fn targets_parse_from_the_configuration() {
        assert_eq!(
            Target::parse("mock:/tmp/x", false),
            Target::Mock("/tmp/x".into())
        );
        assert_eq!(
            Target::parse("tcp://10.0.0.5:9100", true),
            Target::Tcp("10.0.0.5:9100".into())
        );
        assert_eq!(
            Target::parse("Canon_LBP", false),
            Target::System("Canon_LBP".into())
        );
        assert_eq!(
            Target::parse("/dev/usb/lp0", true),
            Target::Device("/dev/usb/lp0".into())
        );
    }

    /// A stand-in for `lp` that keeps its arguments and what it read (the real CUPS path otherwise).
    #[cfg(not(windows))]
    #[test]
    fn lp_gets_the_pdf_on_its_input_and_no_file_is_written() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().expect("dir");
        let fake = dir.path().join("lp");
        let out = dir.path().join("job");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\necho \"$@\" > '{0}.args'\ncat > '{0}.pdf'\n",
                out.display()
            ),
        )
        .expect("script");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        lp_print(fake.to_str().expect("path"), "Canon_LBP", b"%PDF-1.7 job").expect("print");
        assert_eq!(
            std::fs::read(out.with_extension("pdf")).expect("read"),
            b"%PDF-1.7 job"
        );
        assert_eq!(
            std::fs::read_to_string(out.with_extension("args"))
                .expect("args")
                .trim(),
            "-d Canon_LBP -t madoguchi"
        );
        let failing = dir.path().join("failing");
        std::fs::write(
            &failing,
            "#!/bin/sh\ncat > /dev/null\necho no such printer >&2\nexit 1\n",
        )
        .expect("script");
        std::fs::set_permissions(&failing, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        let e = lp_print(failing.to_str().expect("path"), "none", b"%PDF").expect_err("fails");
        assert!(e.to_string().contains("no such printer"), "{e}");
    }

    #[test]
    fn the_mock_printer_writes_whole_jobs() {
        let dir = tempfile::tempdir().expect("dir");
        let t = Target::Mock(dir.path().to_path_buf());
        print_pdf(&t, b"%PDF-1.7 test").expect("print");
        print_receipt(&t, &Receipt::new().line("x").cut()).expect("receipt");
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .expect("ls")
            .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names.len(), 2);
        assert!(names.iter().any(|n| n.ends_with(".pdf")));
        assert!(names.iter().any(|n| n.ends_with(".escpos")));
    }
}
