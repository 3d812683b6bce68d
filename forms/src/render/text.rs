//! Horizontal text in a box: lines broken at the box width, the size shrunk until the text fits, the
//! lines aligned in the box.

use super::context::Canvas;
use super::layout::{LINE_GAP, Layout, Placed, line_width};
use super::problem::ProblemKind;
use crate::font::FontKind;
use crate::template::{Align, VAlign};

/// A text element's box and type, what horizontal and vertical text share.
pub(super) struct TextBox<'t> {
    /// Left edge, mm from the left of the page.
    pub(super) x: f32,
    /// Top edge, mm from the top of the page (or of the row).
    pub(super) y: f32,
    /// Width in points.
    pub(super) w: f32,
    /// Height in points.
    pub(super) h: f32,
    pub(super) font: FontKind,
    /// The size to start from.
    pub(super) size: f32,
    /// The smallest size to shrink to; beyond it the text overflows.
    pub(super) min_size: f32,
    /// The text printed.
    pub(super) value: &'t str,
    /// The bind (or fixed text) that names the element in problems.
    pub(super) label: &'t str,
}

/// Lines or columns at the size chosen, and whether they fit the box at it.
pub(super) struct Fitted {
    pub(super) lines: Vec<Vec<Placed>>,
    pub(super) missing: String,
    pub(super) size: f32,
    pub(super) fits: bool,
}

/// Reports text that did not fit and characters neither face has.
pub(super) fn report(c: &mut Canvas<'_, '_, '_>, label: &str, fitted: &Fitted) {
    if !fitted.fits {
        c.report(label, ProblemKind::Overflow);
    }
    if !fitted.missing.is_empty() {
        c.report(label, ProblemKind::MissingGlyphs(fitted.missing.clone()));
    }
}

/// Greedy line breaking by width (characters may break anywhere, as Japanese does), honouring
/// explicit newlines.
fn break_lines(
    layout: &Layout<'_>,
    font: FontKind,
    text: &str,
    width: f32,
    size: f32,
    wrap: bool,
) -> (Vec<Vec<Placed>>, String) {
    let mut lines = Vec::new();
    let mut missing = String::new();
    for para in text.split('\n') {
        let (glyphs, m) = layout.shape(font, para);
        missing.push_str(&m);
        if !wrap {
            lines.push(glyphs);
            continue;
        }
        let mut line: Vec<Placed> = Vec::new();
        let mut w = 0.0;
        for g in glyphs {
            let gw = g.advance * size;
            if w + gw > width + 0.01 && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                w = 0.0;
            }
            w += gw;
            line.push(g);
        }
        lines.push(line);
    }
    (lines, missing)
}

/// The largest size (in 0.5 pt steps, not below the minimum) at which the text fits the box.
fn fit(layout: &Layout<'_>, b: &TextBox<'_>, wrap: bool) -> Fitted {
    let mut s = b.size;
    loop {
        let (lines, missing) = break_lines(layout, b.font, b.value, b.w, s, wrap);
        let tall = lines.len() as f32 * s * LINE_GAP;
        let wide = lines.iter().map(|l| line_width(l, s)).fold(0.0, f32::max);
        let fits = tall <= b.h + 0.01 && wide <= b.w + 0.01;
        if fits || s - 0.5 < b.min_size {
            return Fitted {
                lines,
                missing,
                size: s,
                fits,
            };
        }
        s -= 0.5;
    }
}

/// Horizontal text in its box: shrunk to fit, wrapped when `wrap`, aligned by `align` and `valign`.
pub(super) fn draw_horizontal(
    c: &mut Canvas<'_, '_, '_>,
    b: &TextBox<'_>,
    (align, valign): (Align, VAlign),
    wrap: bool,
) {
    let fitted = fit(c.layout, b, wrap);
    report(c, b.label, &fitted);
    let s = fitted.size;
    let lh = s * LINE_GAP;
    let block = fitted.lines.len() as f32 * lh;
    let top = c.ctx.y(b.y);
    let first_top = match valign {
        VAlign::Top => top,
        VAlign::Middle => top - (b.h - block) / 2.0,
        VAlign::Bottom => top - (b.h - block),
    };
    let ascent = c.layout.face(b.font).ascent;
    for (i, line) in fitted.lines.iter().enumerate() {
        let lw = line_width(line, s);
        let lx = match align {
            Align::Left => c.ctx.x(b.x),
            Align::Center => c.ctx.x(b.x) + (b.w - lw) / 2.0,
            Align::Right => c.ctx.x(b.x) + b.w - lw,
        };
        let baseline = first_top - i as f32 * lh - (lh - s) / 2.0 - ascent * s;
        c.emit_line(line, s, lx, baseline);
    }
}
