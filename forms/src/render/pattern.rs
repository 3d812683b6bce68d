//! 地紋: the fine background patterns of certificates, drawn beneath everything else on the page. A
//! guilloche fills its box with one of the job's tiling patterns (written once, see `pdf::patterns`);
//! microtext repeats a text in tiny ゴシック, row after row, clipped to the box.

use super::context::Canvas;
use super::layout::Placed;
use super::page::{Op, mm};
use super::problem::ProblemKind;
use crate::font::FontKind;
use crate::template::{Element, PatternStyle, pattern_box};

/// Size of microtext in points.
const MICRO_SIZE: f32 = 2.0;
/// Pitch of microtext rows in points.
const MICRO_PITCH: f32 = 2.5;

/// Draws a `pattern` element (`e` is one) on a page of `page` mm (width, height).
pub(super) fn draw_pattern(c: &mut Canvas<'_, '_, '_>, e: &Element, (pw, ph): (f32, f32)) {
    let Element::Pattern {
        style,
        grey,
        text,
        bind,
        ..
    } = e
    else {
        return;
    };
    let (x, y, w, h) = pattern_box(e, pw, ph);
    let (px, top, pw, ph) = (c.ctx.x(x), c.ctx.y(y), mm(w), mm(h));
    match style {
        PatternStyle::Guilloche => {
            let index = c.layout.pattern_index(*grey);
            c.ops.push(Op::Pattern {
                index,
                x: px,
                y: top - ph,
                w: pw,
                h: ph,
            });
        }
        PatternStyle::Microtext => {
            let (value, label) = match (text, bind) {
                (Some(t), _) => (t.clone(), t.clone()),
                (None, Some(b)) => (c.ctx.text(b), b.clone()),
                (None, None) => return,
            };
            let value = value.trim();
            if value.is_empty() {
                return;
            }
            microtext(c, (px, top, pw, ph), *grey, (value, &label));
        }
    }
}

/// The text (and an ideographic space after it) repeated in rows across the box (points: left, top,
/// width, height), every other row shifted by half the text, clipped to the box in `grey`.
fn microtext(
    c: &mut Canvas<'_, '_, '_>,
    (x, top, w, h): (f32, f32, f32, f32),
    grey: f32,
    (value, label): (&str, &str),
) {
    let (unit, missing) = c
        .layout
        .shape(FontKind::Gothic, &format!("{value}\u{3000}"));
    if !missing.is_empty() {
        c.report(label, ProblemKind::MissingGlyphs(missing));
    }
    if unit.is_empty() {
        return;
    }
    let ascent = c.layout.face(FontKind::Gothic).ascent;
    let rows = ((h + 0.01) / MICRO_PITCH).floor().max(1.0) as usize;
    let mut ops = Vec::new();
    for row in 0..rows {
        let start = if row % 2 == 1 { unit.len() / 2 } else { 0 };
        let mut line: Vec<Placed> = Vec::new();
        let mut width = 0.0;
        for g in unit.iter().cycle().skip(start) {
            let gw = g.advance * MICRO_SIZE;
            if width + gw > w + 0.01 {
                break;
            }
            width += gw;
            line.push(g.clone());
        }
        let baseline =
            top - row as f32 * MICRO_PITCH - (MICRO_PITCH - MICRO_SIZE) / 2.0 - ascent * MICRO_SIZE;
        c.layout.emit_line(&mut ops, &line, MICRO_SIZE, x, baseline);
    }
    c.ops.push(Op::Clipped {
        x,
        y: top - h,
        w,
        h,
        grey,
        ops,
    });
}
