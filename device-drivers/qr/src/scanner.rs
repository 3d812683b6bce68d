//! Scanners that deliver text rather than images: serial (virtual COM / CDC-ACM) scanners send each
//! symbol's text followed by CR and/or LF; keyboard-wedge (HID) scanners type it into the focused field
//! followed by Enter (the UI gives that line to `madoguchi_qr_payload::Assembler::push`). This reads the serial
//! stream — any `Read`: the device file the terminal opens, or a test's bytes.

use std::io::Read;

/// Longest line accepted from a scanner (a Madoguchi symbol is at most a few hundred characters).
pub const MAX_LINE: usize = 4096;

/// What a scanner sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scan {
    /// One symbol's text.
    Line(String),
    /// A line too long, or not UTF-8: dropped (a damaged read or a foreign device).
    Rejected,
}

/// Reads scans from a serial stream: lines ended by CR, LF or CR LF; other control characters
/// removed; empty lines skipped. Ends when the stream ends.
pub struct SerialScanner<R: Read> {
    inner: R,
    buffer: Vec<u8>,
    overflow: bool,
}

impl<R: Read> std::fmt::Debug for SerialScanner<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SerialScanner")
    }
}

impl<R: Read> SerialScanner<R> {
    pub fn new(inner: R) -> Self {
        SerialScanner {
            inner,
            buffer: Vec::new(),
            overflow: false,
        }
    }

    fn finish_line(&mut self) -> Option<Scan> {
        let line = std::mem::take(&mut self.buffer);
        let overflow = std::mem::replace(&mut self.overflow, false);
        if overflow {
            return Some(Scan::Rejected);
        }
        if line.is_empty() {
            return None;
        }
        Some(match String::from_utf8(line) {
            Ok(s) => Scan::Line(s),
            Err(_) => Scan::Rejected,
        })
    }
}

impl<R: Read> Iterator for SerialScanner<R> {
    type Item = std::io::Result<Scan>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut byte = [0u8; 1];
        loop {
            match self.inner.read(&mut byte) {
                Ok(0) => return self.finish_line().map(Ok),
                Ok(_) => match byte[0] {
                    b'\r' | b'\n' => {
                        if let Some(scan) = self.finish_line() {
                            return Some(Ok(scan));
                        }
                    }
                    b if b < 0x20 || b == 0x7F => {}
                    b => {
                        if self.buffer.len() >= MAX_LINE {
                            self.overflow = true;
                            self.buffer.clear();
                        }
                        if !self.overflow {
                            self.buffer.push(b);
                        }
                    }
                },
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_with_cr_lf_or_both_and_noise_is_dropped() {
        let bytes =
            b"MDG1.1.2.abcdef.AAAA\r\n\r\nMDG1.2.2.abcdef.BBBB\r\x02case\x03\n\xff\xfe\nlast"
                .to_vec();
        let scans: Vec<Scan> = SerialScanner::new(&bytes[..])
            .map(|s| s.expect("read"))
            .collect();
        assert_eq!(
            scans,
            vec![
                Scan::Line("MDG1.1.2.abcdef.AAAA".into()),
                Scan::Line("MDG1.2.2.abcdef.BBBB".into()),
                Scan::Line("case".into()),
                Scan::Rejected,
                Scan::Line("last".into()),
            ]
        );
    }

    #[test]
    fn an_endless_line_is_rejected_not_buffered() {
        let mut bytes = vec![b'A'; MAX_LINE * 3];
        bytes.extend_from_slice(b"\nok\n");
        let scans: Vec<Scan> = SerialScanner::new(&bytes[..])
            .map(|s| s.expect("read"))
            .collect();
        assert_eq!(scans, vec![Scan::Rejected, Scan::Line("ok".into())]);
    }
}
