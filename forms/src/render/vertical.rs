//! 縦書き: vertical text in columns from the right edge of the box, punctuation turned to its vertical
//! presentation form while the text extracted from the PDF stays the original.

use super::context::Canvas;
use super::layout::{LINE_GAP, Layout, Placed, pieces};
use super::text::{Fitted, TextBox, report};
use crate::font::FontKind;

/// The vertical presentation form of punctuation that turns in 縦書き (the text stays the original).
fn vertical_form(c: char) -> Option<char> {
    Some(match c {
        '、' => '\u{FE11}',
        '。' => '\u{FE12}',
        '（' | '(' => '\u{FE35}',
        '）' | ')' => '\u{FE36}',
        '「' => '\u{FE41}',
        '」' => '\u{FE42}',
        '『' => '\u{FE43}',
        '』' => '\u{FE44}',
        'ー' | '—' | '－' => '\u{FE31}',
        '…' => '\u{FE19}',
        _ => return None,
    })
}

/// Columns of at most `per_column` characters for 縦書き, honouring newlines.
fn break_columns(
    layout: &Layout<'_>,
    font: FontKind,
    text: &str,
    per_column: usize,
) -> (Vec<Vec<Placed>>, String) {
    let mut columns = Vec::new();
    let mut missing = String::new();
    for para in text.split('\n') {
        let mut column = Vec::new();
        for piece in pieces(para) {
            let turned: String = piece
                .chars()
                .map(|c| vertical_form(c).unwrap_or(c))
                .collect();
            let (mut glyphs, m) = layout.shape(font, &turned);
            missing.push_str(&m);
            for g in &mut glyphs {
                g.text.clone_from(&piece);
            }
            for g in glyphs {
                if column.len() >= per_column.max(1) {
                    columns.push(std::mem::take(&mut column));
                }
                column.push(g);
            }
        }
        columns.push(column);
    }
    (columns, missing)
}

/// The largest size (in 0.5 pt steps, not below the minimum) at which the columns fit the box.
fn fit(layout: &Layout<'_>, b: &TextBox<'_>) -> Fitted {
    let mut s = b.size;
    loop {
        let per = (b.h / s).floor() as usize;
        let (columns, missing) = break_columns(layout, b.font, b.value, per);
        let fits = per > 0 && columns.len() as f32 * s * LINE_GAP <= b.w + 0.01;
        if fits || s - 0.5 < b.min_size {
            return Fitted {
                lines: columns,
                missing,
                size: s,
                fits,
            };
        }
        s -= 0.5;
    }
}

/// 縦書き text in its box: columns from the right edge, each character centred in a 1 em cell.
pub(super) fn draw_vertical(c: &mut Canvas<'_, '_, '_>, b: &TextBox<'_>) {
    let fitted = fit(c.layout, b);
    report(c, b.label, &fitted);
    let s = fitted.size;
    let ascent = c.layout.face(b.font).ascent;
    let right = c.ctx.x(b.x) + b.w;
    let top = c.ctx.y(b.y);
    for (i, column) in fitted.lines.iter().enumerate() {
        let center = right - (i as f32 + 0.5) * s * LINE_GAP;
        for (j, g) in column.iter().enumerate() {
            let gx = center - g.advance * s / 2.0;
            let baseline = top - j as f32 * s - ascent * s;
            c.emit_line(std::slice::from_ref(g), s, gx, baseline);
        }
    }
}
