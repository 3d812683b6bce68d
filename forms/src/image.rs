//! Raster images bound into forms (a seal impression, a photo, a scanned signature): a `data:` URL of a
//! PNG or JPEG. JPEG is embedded as it is; PNG is decoded to 8-bit samples with its alpha as a soft mask.

use base64::Engine as _;

/// An image ready to embed.
#[derive(Debug, Clone, PartialEq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub data: RasterData,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RasterData {
    /// The JPEG file itself (DCTDecode) with its number of colour components (1, 3 or 4).
    Jpeg { bytes: Vec<u8>, components: u8 },
    /// 8-bit grey or RGB samples, with an optional 8-bit alpha channel.
    Samples {
        rgb: bool,
        samples: Vec<u8>,
        alpha: Option<Vec<u8>>,
    },
}

/// Decodes `data:image/png;base64,…` or `data:image/jpeg;base64,…`; `None` for anything else.
pub fn from_data_url(url: &str) -> Option<Raster> {
    let rest = url.strip_prefix("data:")?;
    let (meta, payload) = rest.split_once(',')?;
    let bytes = if meta.ends_with(";base64") {
        base64::engine::general_purpose::STANDARD
            .decode(payload.trim())
            .ok()?
    } else {
        return None;
    };
    match meta.trim_end_matches(";base64") {
        "image/png" => png(&bytes),
        "image/jpeg" | "image/jpg" => jpeg(bytes),
        _ => None,
    }
}

fn png(bytes: &[u8]) -> Option<Raster> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    buf.truncate(info.buffer_size());
    let (rgb, channels, has_alpha) = match info.color_type {
        png::ColorType::Grayscale => (false, 1, false),
        png::ColorType::GrayscaleAlpha => (false, 2, true),
        png::ColorType::Rgb => (true, 3, false),
        png::ColorType::Rgba => (true, 4, true),
        png::ColorType::Indexed => return None, // expanded by normalize_to_color8
    };
    let colour = if rgb { 3 } else { 1 };
    let mut samples = Vec::with_capacity(buf.len());
    let mut alpha = has_alpha.then(Vec::new);
    for px in buf.chunks(channels) {
        samples.extend_from_slice(&px[..colour]);
        if let Some(a) = alpha.as_mut() {
            a.push(px[colour]);
        }
    }
    Some(Raster {
        width: info.width,
        height: info.height,
        data: RasterData::Samples {
            rgb,
            samples,
            alpha,
        },
    })
}

/// Reads the frame header (SOF0–SOF2) of a JPEG for its size and components.
fn jpeg(bytes: Vec<u8>) -> Option<Raster> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if matches!(marker, 0xC0..=0xC2) {
            let seg = bytes.get(i + 4..i + 2 + len)?;
            let height = u32::from(u16::from_be_bytes([*seg.get(1)?, *seg.get(2)?]));
            let width = u32::from(u16::from_be_bytes([*seg.get(3)?, *seg.get(4)?]));
            let components = *seg.get(5)?;
            if width == 0 || height == 0 || !matches!(components, 1 | 3 | 4) {
                return None;
            }
            return Some(Raster {
                width,
                height,
                data: RasterData::Jpeg { bytes, components },
            });
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_with_alpha_and_bad_input() {
        // A 2×1 RGBA PNG: one red opaque pixel, one transparent.
        let mut png_bytes = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut png_bytes, 2, 1);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&[255, 0, 0, 255, 0, 0, 0, 0])
                .expect("data");
        }
        let url = format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&png_bytes)
        );
        let r = from_data_url(&url).expect("png");
        assert_eq!((r.width, r.height), (2, 1));
        assert_eq!(
            r.data,
            RasterData::Samples {
                rgb: true,
                samples: vec![255, 0, 0, 0, 0, 0],
                alpha: Some(vec![255, 0])
            }
        );
        for bad in [
            "",
            "data:image/png;base64,!!!",
            "data:image/gif;base64,R0lGODlh",
            "data:text/plain,hello",
            "https://example.invalid/seal.png",
            "data:image/jpeg;base64,AAAA",
        ] {
            assert!(from_data_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn jpeg_header_is_read() {
        // SOI, SOF0 (8 bit, 3×2, 3 components), EOI: enough for the header.
        let jpeg_bytes = [
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 1, 0x11, 0, 2,
            0x11, 0, 3, 0x11, 0, 0xFF, 0xD9,
        ];
        let url = format!(
            "data:image/jpeg;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(jpeg_bytes)
        );
        let r = from_data_url(&url).expect("jpeg");
        assert_eq!((r.width, r.height), (3, 2));
        assert!(matches!(r.data, RasterData::Jpeg { components: 3, .. }));
    }
}
