//! Template elements drawn onto a page as drawing operations: text (horizontal or 縦書き), labelled
//! cells, character boxes, tick boxes, circled choices, QR codes, raster images and handwriting.

use serde_json::Value;

use super::context::{Canvas, Ctx};
use super::layout::{line_width, pieces};
use super::page::{Op, mm};
use super::problem::ProblemKind;
use super::text::{TextBox, draw_horizontal};
use super::vertical::draw_vertical;
use crate::data::Path as DataPath;
use crate::font::FontKind;
use crate::template::{Align, ChoiceOption, Element, VAlign};

/// Draws one element onto the page (`rows` are drawn by the page, once per item).
pub(super) fn draw(c: &mut Canvas<'_, '_, '_>, e: &Element) {
    match e {
        Element::Line {
            x1,
            y1,
            x2,
            y2,
            width,
            ..
        } => c.ops.push(Op::Line {
            x1: c.ctx.x(*x1),
            y1: c.ctx.y(*y1),
            x2: c.ctx.x(*x2),
            y2: c.ctx.y(*y2),
            width: *width,
        }),
        Element::Rect {
            x,
            y,
            w,
            h,
            width,
            fill,
            ..
        } => c.ops.push(Op::Rect {
            x: c.ctx.x(*x),
            y: c.ctx.y(y + h),
            w: mm(*w),
            h: mm(*h),
            width: *width,
            fill: *fill,
        }),
        Element::Text { .. } => text(c, e),
        Element::Field {
            x,
            y,
            w,
            h,
            label,
            bind,
            label_w,
            font,
            size,
            min_size,
            ..
        } => {
            let parts = field_parts(
                (*x, *y, *w, *h),
                label,
                bind,
                *label_w,
                *font,
                (*size, *min_size),
            );
            for part in &parts {
                draw(c, part);
            }
        }
        Element::Boxes {
            x,
            y,
            w,
            h,
            count,
            bind,
            font,
            size,
            ..
        } => boxes(c, (*x, *y, *w, *h), *count, bind, (*font, *size)),
        Element::Check {
            x,
            y,
            size,
            bind,
            equals,
            label,
            ..
        } => check(
            c,
            (*x, *y, *size),
            bind,
            equals.as_deref(),
            label.as_deref(),
        ),
        Element::Choice {
            bind,
            font,
            size,
            options,
            ..
        } => choice(c, bind, (*font, *size), options),
        Element::Qr {
            x, y, size, bind, ..
        } => qr(c, (*x, *y, *size), bind),
        Element::Image {
            x,
            y,
            w,
            h,
            bind,
            size_w_bind,
            size_h_bind,
            ..
        } => {
            let size = size_w_bind.as_deref().zip(size_h_bind.as_deref());
            image(c, (*x, *y, *w, *h), bind, size);
        }
        Element::Strokes {
            x,
            y,
            w,
            h,
            bind,
            width,
            ..
        } => strokes(c, (*x, *y, *w, *h), bind, *width),
        // laid out by the page: rows once per item, patterns beneath everything
        Element::Rows { .. } | Element::Pattern { .. } => {}
    }
}

/// A `text` element (`e` is one): fixed text or the bound value, horizontal or 縦書き; nothing when
/// the text is empty.
fn text(c: &mut Canvas<'_, '_, '_>, e: &Element) {
    let Element::Text {
        x,
        y,
        w,
        h,
        text,
        bind,
        font,
        size,
        min_size,
        align,
        valign,
        wrap,
        vertical,
        ..
    } = e
    else {
        return;
    };
    let (value, label) = match (text, bind) {
        (Some(t), _) => (t.clone(), t.clone()),
        (None, Some(b)) => (c.ctx.text(b), b.clone()),
        (None, None) => return,
    };
    if value.is_empty() {
        return;
    }
    let b = TextBox {
        x: *x,
        y: *y,
        w: mm(*w),
        h: mm(*h),
        font: *font,
        size: *size,
        min_size: *min_size,
        value: &value,
        label: &label,
    };
    if *vertical {
        draw_vertical(c, &b);
    } else {
        draw_horizontal(c, &b, (*align, *valign), *wrap);
    }
}

/// A `field` as what it is drawn with: its box, the label (ゴシック, left) and the bound value beside it.
fn field_parts(
    (x, y, w, h): (f32, f32, f32, f32),
    label: &str,
    bind: &str,
    label_w: f32,
    font: FontKind,
    (size, min_size): (f32, f32),
) -> [Element; 3] {
    [
        Element::Rect {
            x,
            y,
            w,
            h,
            width: 0.4,
            fill: None,
            only_on: None,
        },
        Element::Text {
            x: x + 1.5,
            y,
            w: label_w - 2.0,
            h,
            text: Some(label.to_owned()),
            bind: None,
            font: FontKind::Gothic,
            size: 9.0_f32.min(size),
            min_size: 5.0_f32.min(min_size),
            align: Align::Left,
            valign: VAlign::Middle,
            wrap: true,
            vertical: false,
            only_on: None,
        },
        Element::Text {
            x: x + label_w,
            y,
            w: w - label_w - 1.5,
            h,
            text: None,
            bind: Some(bind.to_owned()),
            font,
            size,
            min_size,
            align: Align::Left,
            valign: VAlign::Middle,
            wrap: true,
            vertical: false,
            only_on: None,
        },
    ]
}

/// Character boxes (マス目): `count` boxes of `w`×`h` mm in a row, one character centred in each.
fn boxes(
    c: &mut Canvas<'_, '_, '_>,
    (x, y, w, h): (f32, f32, f32, f32),
    count: u32,
    bind: &str,
    (font, size): (FontKind, f32),
) {
    let value = c.ctx.text(bind);
    let chars = pieces(&value);
    for i in 0..count {
        c.ops.push(Op::Rect {
            x: c.ctx.x(x + w * i as f32),
            y: c.ctx.y(y + h),
            w: mm(w),
            h: mm(h),
            width: 0.3,
            fill: None,
        });
    }
    if chars.len() > count as usize {
        c.report(bind, ProblemKind::Overflow);
    }
    let ascent = c.layout.face(font).ascent;
    let mut missing = String::new();
    for (i, piece) in chars.iter().take(count as usize).enumerate() {
        let (glyphs, m) = c.layout.shape(font, piece);
        missing.push_str(&m);
        let gw = line_width(&glyphs, size);
        let cx = c.ctx.x(x + w * i as f32) + (mm(w) - gw) / 2.0;
        let baseline = c.ctx.y(y) - (mm(h) - size) / 2.0 - ascent * size;
        c.emit_line(&glyphs, size, cx, baseline);
    }
    if !missing.is_empty() {
        c.report(bind, ProblemKind::MissingGlyphs(missing));
    }
}

/// A tick box of `size` mm, its label (if any) to the right; ticked when the value equals `equals`, or
/// without `equals` when it is non-empty and not false.
fn check(
    c: &mut Canvas<'_, '_, '_>,
    (x, y, size): (f32, f32, f32),
    bind: &str,
    equals: Option<&str>,
    label: Option<&str>,
) {
    if let Some(label) = label {
        let text = Element::Text {
            x: x + size + 1.0,
            y: (y - 1.0).max(0.0),
            w: label.chars().count() as f32 * 3.6 + 2.0,
            h: size + 2.0,
            text: Some(label.to_owned()),
            bind: None,
            font: FontKind::Gothic,
            size: 10.0,
            min_size: 6.0,
            align: Align::Left,
            valign: VAlign::Middle,
            wrap: false,
            vertical: false,
            only_on: None,
        };
        draw(c, &text);
    }
    let value = c.ctx.text(bind);
    let ticked = match equals {
        Some(want) => value == want,
        None => !value.is_empty() && value != "false" && value != "0",
    };
    let (px, py, s) = (c.ctx.x(x), c.ctx.y(y + size), mm(size));
    c.ops.push(Op::Rect {
        x: px,
        y: py,
        w: s,
        h: s,
        width: 0.4,
        fill: None,
    });
    if ticked {
        c.ops.push(Op::Line {
            x1: px + s * 0.18,
            y1: py + s * 0.52,
            x2: px + s * 0.42,
            y2: py + s * 0.2,
            width: 0.9,
        });
        c.ops.push(Op::Line {
            x1: px + s * 0.42,
            y1: py + s * 0.2,
            x2: px + s * 0.85,
            y2: py + s * 0.85,
            width: 0.9,
        });
    }
}

/// Printed choices, the one whose value is the bound value circled; a value none stands for is reported.
fn choice(
    c: &mut Canvas<'_, '_, '_>,
    bind: &str,
    (font, size): (FontKind, f32),
    options: &[ChoiceOption],
) {
    let value = c.ctx.text(bind);
    let ascent = c.layout.face(font).ascent;
    let mut matched = value.is_empty();
    for o in options {
        let (glyphs, _) = c.layout.shape(font, &o.label);
        let lw = line_width(&glyphs, size);
        let (lx, top) = (c.ctx.x(o.x), c.ctx.y(o.y));
        c.emit_line(&glyphs, size, lx, top - ascent * size);
        if o.value == value {
            matched = true;
            c.ops.push(Op::Ellipse {
                cx: lx + lw / 2.0,
                cy: top - size * 0.42,
                rx: lw / 2.0 + size * 0.35,
                ry: size * 0.68,
                width: 0.6,
            });
        }
    }
    if !matched {
        // A value none of the printed choices stands for: say so rather than print nothing.
        c.report(bind, ProblemKind::InvalidValue);
    }
}

/// A QR code of the bound value in a square of `size` mm (error correction M, quiet zone inside).
fn qr(c: &mut Canvas<'_, '_, '_>, (x, y, size): (f32, f32, f32), bind: &str) {
    let value = c.ctx.text(bind);
    if value.is_empty() {
        return;
    }
    let Ok(code) = qrcodegen::QrCode::encode_text(&value, qrcodegen::QrCodeEcc::Medium) else {
        c.report(bind, ProblemKind::Overflow);
        return;
    };
    let n = code.size();
    let side = mm(size) / (n + 8) as f32; // 4 modules of quiet zone each side
    let (ox, oy) = (c.ctx.x(x) + 4.0 * side, c.ctx.y(y) - 4.0 * side);
    let mut cells = Vec::new();
    for r in 0..n {
        for c in 0..n {
            if code.get_module(c, r) {
                cells.push((ox + c as f32 * side, oy - (r + 1) as f32 * side));
            }
        }
    }
    c.ops.push(Op::Squares { cells, side });
}

/// A raster image from a data URL, centred in the box: fitted keeping its proportions, or, when the
/// size binds (width, height) are given and their values present, at exactly that size in mm. A size
/// larger than the box is drawn as it is (beyond the box) and reported, never scaled down; a size that
/// is not a positive number, or only one of the two, is reported and the image not drawn.
fn image(
    c: &mut Canvas<'_, '_, '_>,
    (x, y, w, h): (f32, f32, f32, f32),
    bind: &str,
    size: Option<(&str, &str)>,
) {
    let value = c.ctx.text(bind);
    if value.is_empty() {
        return;
    }
    let Some(raster) = crate::image::from_data_url(&value) else {
        c.report(bind, ProblemKind::InvalidValue);
        return;
    };
    let (bw, bh) = (mm(w), mm(h));
    let sized = size.map(|(sw, sh)| ((sw, c.ctx.text(sw)), (sh, c.ctx.text(sh))));
    let (iw, ih) = match sized {
        Some(((sw, vw), (sh, vh))) if !(vw.is_empty() && vh.is_empty()) => {
            let (Some(mw), Some(mh)) = (size_mm(&vw), size_mm(&vh)) else {
                for (b, v) in [(sw, &vw), (sh, &vh)] {
                    if size_mm(v).is_none() {
                        c.report(b, ProblemKind::InvalidValue);
                    }
                }
                return;
            };
            // Never scaled down: a size beyond the box is printed beyond it and reported.
            for (b, want, room) in [(sw, mw, w), (sh, mh, h)] {
                if want > room + SIZE_TOLERANCE_MM {
                    c.report(b, ProblemKind::Overflow);
                }
            }
            (mm(mw), mm(mh))
        }
        // Fit into the box, keeping proportions.
        _ => {
            let scale = (bw / raster.width as f32).min(bh / raster.height as f32);
            (raster.width as f32 * scale, raster.height as f32 * scale)
        }
    };
    let index = c.layout.image_index(raster);
    c.ops.push(Op::Image {
        index,
        x: c.ctx.x(x) + (bw - iw) / 2.0,
        y: c.ctx.y(y + h) + (bh - ih) / 2.0,
        w: iw,
        h: ih,
    });
}

/// How far (mm) a bound image size may exceed its box and still count as fitting (rounding of the
/// registered size, not a real excess).
const SIZE_TOLERANCE_MM: f32 = 0.005;

/// A bound image size in mm: a positive, finite number (`15`, `"15.0"`); `None` for anything else,
/// including a missing value.
fn size_mm(value: &str) -> Option<f32> {
    value
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0)
}

/// One stroke of handwriting: points in PDF points, each with its pen pressure when it has one.
type Stroke = Vec<((f32, f32), Option<f32>)>;

/// The strokes of a handwriting value scaled into the box (mm), or `None` when the value is not a list
/// of strokes of `[x, y]` or `[x, y, pressure]` points, each number from 0 to 1.
fn parse_strokes(
    ctx: &Ctx<'_>,
    (x, y, w, h): (f32, f32, f32, f32),
    value: &Value,
) -> Option<Vec<Stroke>> {
    let point = |p: &Value| -> Option<((f32, f32), Option<f32>)> {
        let a = p.as_array()?;
        let (px, py) = (a.first()?.as_f64()? as f32, a.get(1)?.as_f64()? as f32);
        let pressure = match a.get(2) {
            None => None,
            Some(v) => Some(v.as_f64().filter(|v| (0.0..=1.0).contains(v))? as f32),
        };
        ((0.0..=1.0).contains(&px) && (0.0..=1.0).contains(&py) && a.len() <= 3)
            .then(|| ((ctx.x(x + px * w), ctx.y(y + py * h)), pressure))
    };
    value.as_array().and_then(|strokes| {
        strokes
            .iter()
            .map(|s| s.as_array()?.iter().map(point).collect())
            .collect()
    })
}

/// Handwriting from a pen tablet: each stroke of two points or more as a line, its width following the
/// pen pressure when every point carries one.
fn strokes(c: &mut Canvas<'_, '_, '_>, area: (f32, f32, f32, f32), bind: &str, width: f32) {
    let Some(value) = DataPath::parse(bind)
        .ok()
        .and_then(|p| p.lookup(c.ctx.scope()).cloned())
    else {
        return;
    };
    if value.is_null() {
        return;
    }
    match parse_strokes(c.ctx, area, &value) {
        Some(strokes) => {
            for stroke in strokes.into_iter().filter(|p| p.len() >= 2) {
                let pressure = stroke.iter().map(|(_, p)| *p).collect::<Option<Vec<f32>>>();
                c.ops.push(Op::Polyline {
                    points: stroke.into_iter().map(|(pt, _)| pt).collect(),
                    width,
                    pressure,
                });
            }
        }
        None => c.report(bind, ProblemKind::InvalidValue),
    }
}
