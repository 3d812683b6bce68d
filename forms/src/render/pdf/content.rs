//! A page's drawing operations as its content stream.

use std::sync::Arc;

use pdf_writer::types::{ColorSpaceOperand, LineCapStyle};
use pdf_writer::{Buf, Content, Name, Ref, Str};

use super::cid_fonts::{Embedded, resource_name};
use crate::background::Background;
use crate::font::FontKind;
use crate::render::page::{Op, Page};

/// What pages refer to: the embedded fonts, and the job's images and backgrounds as XObjects with the
/// names page resources give them (`Im0`, `Bg0`, …), in the job's order.
pub(super) struct Resources<'r> {
    pub(super) fonts: &'r Embedded,
    /// The job's backgrounds (their sizes scale them to the page).
    pub(super) backgrounds: &'r [Arc<Background>],
    pub(super) image_xobjects: Vec<(Ref, String)>,
    pub(super) background_xobjects: Vec<(Ref, String)>,
    /// The job's guilloche patterns (`Gp0`, …).
    pub(super) patterns: Vec<(Ref, String)>,
}

/// The page's content stream, uncompressed.
pub(super) fn content(page: &Page, res: &Resources<'_>) -> Buf {
    let mut c = Content::new();
    c.set_stroke_gray(0.0);
    for op in &page.ops {
        draw_op(&mut c, op, res);
    }
    c.finish()
}

fn draw_op(c: &mut Content, op: &Op, res: &Resources<'_>) {
    match op {
        Op::Text {
            font,
            size,
            x,
            y,
            glyphs,
        } => text(c, res, (*font, *size), (*x, *y), glyphs),
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        } => {
            c.set_line_width(*width)
                .move_to(*x1, *y1)
                .line_to(*x2, *y2)
                .stroke();
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            width,
            fill,
        } => {
            c.rect(*x, *y, *w, *h);
            match fill {
                Some(g) => {
                    c.set_fill_gray(*g).fill_nonzero().set_fill_gray(0.0);
                }
                None => {
                    c.set_line_width(*width).stroke();
                }
            }
        }
        Op::Ellipse {
            cx,
            cy,
            rx,
            ry,
            width,
        } => ellipse(c, (*cx, *cy), (*rx, *ry), *width),
        Op::Background { index, x, y, w, h } => background(c, res, *index, (*x, *y, *w, *h)),
        Op::Grid { w, h } => grid(c, *w, *h),
        Op::Mark { x, y, w, h } => {
            c.save_state()
                .set_stroke_rgb(0.9, 0.0, 0.0)
                .set_line_width(1.5)
                .rect(*x, *y, *w, *h)
                .stroke()
                .restore_state();
        }
        Op::Image { index, x, y, w, h } => {
            c.save_state()
                .transform([*w, 0.0, 0.0, *h, *x, *y])
                .x_object(Name(res.image_xobjects[*index].1.as_bytes()))
                .restore_state();
        }
        Op::Polyline {
            points,
            width,
            pressure: None,
        } => polyline(c, points, *width),
        Op::Polyline {
            points,
            width,
            pressure: Some(pressure),
        } => pen_polyline(c, points, *width, pressure),
        Op::Pattern { index, x, y, w, h } => {
            c.save_state()
                .set_fill_color_space(ColorSpaceOperand::Pattern)
                .set_fill_pattern(None, Name(res.patterns[*index].1.as_bytes()))
                .rect(*x, *y, *w, *h)
                .fill_nonzero()
                .restore_state();
        }
        Op::Clipped {
            x,
            y,
            w,
            h,
            grey,
            ops,
        } => {
            c.save_state()
                .rect(*x, *y, *w, *h)
                .clip_nonzero()
                .end_path()
                .set_fill_gray(*grey);
            for op in ops {
                draw_op(c, op, res);
            }
            c.restore_state();
        }
        Op::Squares { cells, side } => {
            for (x, y) in cells {
                c.rect(*x, *y, *side, *side);
            }
            c.set_fill_gray(0.0).fill_nonzero();
        }
    }
}

/// A run of glyphs of one face at (x, y), as subset glyph ids; nothing when the face was not embedded.
fn text(
    c: &mut Content,
    res: &Resources<'_>,
    (font, size): (FontKind, f32),
    (x, y): (f32, f32),
    glyphs: &[u16],
) {
    let Some((_, remapper)) = res.fonts.get(&font) else {
        return;
    };
    let bytes: Vec<u8> = glyphs
        .iter()
        .flat_map(|g| remapper.get(*g).unwrap_or(0).to_be_bytes())
        .collect();
    c.begin_text()
        .set_font(resource_name(font), size)
        .set_text_matrix([1.0, 0.0, 0.0, 1.0, x, y])
        .show(Str(&bytes))
        .end_text();
}

/// An ellipse of four Bézier quarters.
fn ellipse(c: &mut Content, (cx, cy): (f32, f32), (rx, ry): (f32, f32), width: f32) {
    let k = 0.552_284_8;
    c.set_line_width(width)
        .move_to(cx + rx, cy)
        .cubic_to(cx + rx, cy + ry * k, cx + rx * k, cy + ry, cx, cy + ry)
        .cubic_to(cx - rx * k, cy + ry, cx - rx, cy + ry * k, cx - rx, cy)
        .cubic_to(cx - rx, cy - ry * k, cx - rx * k, cy - ry, cx, cy - ry)
        .cubic_to(cx + rx * k, cy - ry, cx + rx, cy - ry * k, cx + rx, cy)
        .close_path()
        .stroke();
}

/// The background page, scaled to the page.
fn background(
    c: &mut Content,
    res: &Resources<'_>,
    index: usize,
    (x, y, w, h): (f32, f32, f32, f32),
) {
    let bg = &res.backgrounds[index];
    let (bw, bh) = bg.size();
    let (ox, oy) = bg.origin();
    let (sx, sy) = (w / bw.max(1.0), h / bh.max(1.0));
    c.save_state()
        .transform([sx, 0.0, 0.0, sy, x - ox * sx, y - oy * sy])
        .x_object(Name(res.background_xobjects[index].1.as_bytes()))
        .restore_state();
}

/// Light blue lines every 5 mm, stronger every 10 mm, from the top-left corner (the figures are
/// text the grid adds as elements).
fn grid(c: &mut Content, w: f32, h: f32) {
    let step = super::super::page::mm(5.0);
    c.save_state().set_stroke_rgb(0.35, 0.6, 0.95);
    for strong in [false, true] {
        c.set_line_width(if strong { 0.45 } else { 0.15 });
        let lines = |len: f32| {
            (0..)
                .map(move |n| (n, n as f32 * step))
                .take_while(move |(_, v)| *v <= len + 0.01)
        };
        for (n, v) in lines(w) {
            if (n % 2 == 0) == strong {
                c.move_to(v, 0.0).line_to(v, h);
            }
        }
        for (n, v) in lines(h) {
            if (n % 2 == 0) == strong {
                c.move_to(0.0, h - v).line_to(w, h - v);
            }
        }
        c.stroke();
    }
    c.restore_state();
}

/// A stroke of even width.
fn polyline(c: &mut Content, points: &[(f32, f32)], width: f32) {
    if let Some((first, rest)) = points.split_first() {
        c.set_line_width(width).move_to(first.0, first.1);
        for p in rest {
            c.line_to(p.0, p.1);
        }
        c.stroke();
    }
}

/// A stroke whose ink follows the pen: each segment's width from its pressure (30 % at the lightest
/// touch), round caps so that the segments join smoothly.
fn pen_polyline(c: &mut Content, points: &[(f32, f32)], width: f32, pressure: &[f32]) {
    c.save_state().set_line_cap(LineCapStyle::RoundCap);
    for (i, pair) in points.windows(2).enumerate() {
        let p = (pressure[i] + pressure[i + 1]) / 2.0;
        c.set_line_width(width * (0.3 + 0.7 * p))
            .move_to(pair[0].0, pair[0].1)
            .line_to(pair[1].0, pair[1].1)
            .stroke();
    }
    c.restore_state();
}
