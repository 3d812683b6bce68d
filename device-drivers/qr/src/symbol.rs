//! QR symbols: generation (module grid and greyscale image) and decoding of camera frames.

use qrcode::{EcLevel, QrCode};

/// Why a frame gave no symbol text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    #[error("the text does not fit a QR symbol")]
    TooLong,
}

/// A rendered symbol: greyscale pixels (0 black, 255 white), row-major, with a 4-module quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

/// The symbol for `text` (error correction level M), `module` pixels per module.
pub fn render(text: &str, module: usize) -> Result<Image, SymbolError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|_| SymbolError::TooLong)?;
    let n = code.width();
    let modules = code.to_colors();
    let quiet = 4;
    let side = (n + 2 * quiet) * module;
    let mut pixels = vec![255u8; side * side];
    for y in 0..n {
        for x in 0..n {
            if modules[y * n + x] == qrcode::Color::Dark {
                for dy in 0..module {
                    let row = (y + quiet) * module + dy;
                    let start = row * side + (x + quiet) * module;
                    pixels[start..start + module].fill(0);
                }
            }
        }
    }
    Ok(Image {
        width: side,
        height: side,
        pixels,
    })
}

/// The texts of every symbol in a binary greyscale PGM image (`P5`, 8 bits — what `pdftoppm -gray`
/// writes for a printed form); an image that is not one gives nothing.
pub fn decode_pgm(pgm: &[u8]) -> Vec<String> {
    // Header: "P5", width, height, maxval, each after whitespace; one whitespace byte, then pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while pgm.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let start = i;
        while pgm.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
            i += 1;
        }
        if start == i {
            return Vec::new();
        }
        fields.push(String::from_utf8_lossy(&pgm[start..i]).into_owned());
    }
    let (Ok(w), Ok(h)) = (fields[1].parse::<usize>(), fields[2].parse::<usize>()) else {
        return Vec::new();
    };
    if fields[0] != "P5" || fields[3] != "255" {
        return Vec::new();
    }
    decode_frame(w, h, pgm.get(i + 1..).unwrap_or(&[]))
}

/// The texts of every symbol found in a greyscale frame (`luma`, row-major `width × height`).
/// Symbols that are found but do not decode (damaged, partly hidden) are left out.
pub fn decode_frame(width: usize, height: usize, luma: &[u8]) -> Vec<String> {
    if luma.len() < width * height {
        return Vec::new();
    }
    let mut prepared =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}
