//! Laying templates out with case data, then writing one PDF: fonts embedded as subset CID fonts with
//! ToUnicode maps (text is extractable), streams compressed, no dates or random ids (same input, same
//! bytes).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::Value;

use crate::FormsError;
use crate::data::Path as DataPath;
use crate::font::{FontKind, Fonts};
use crate::template::{Align, Element, Template, VAlign};

const PT_PER_MM: f32 = 72.0 / 25.4;
const LINE_GAP: f32 = 1.15;

/// Something a staff member must look at: the form printed, but not as the data asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub template: String,
    /// 1-based page of the print job.
    pub page: usize,
    /// The bind (or fixed text) of the element.
    pub element: String,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text did not fit its box even at the smallest size; it was printed beyond the box.
    Overflow,
    /// Characters neither font has; printed as blanks.
    MissingGlyphs(String),
    /// A value of the wrong shape for its element (signature strokes that are not point lists, an image
    /// that is not PNG/JPEG, a choice none of the printed options stands for).
    InvalidValue,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            ProblemKind::Overflow => write!(
                f,
                "{}ページ目（{}）「{}」: 枠に収まりません。",
                self.page, self.template, self.element
            ),
            ProblemKind::InvalidValue => write!(
                f,
                "{}ページ目（{}）「{}」: 値の形式が正しくないため印字できません。",
                self.page, self.template, self.element
            ),
            ProblemKind::MissingGlyphs(c) => write!(
                f,
                "{}ページ目（{}）「{}」: 印字できない文字があります: {c}",
                self.page, self.template, self.element
            ),
        }
    }
}

/// A rendered print job.
#[derive(Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub problems: Vec<Problem>,
}

/// One glyph placed in a run: the face and the glyph id in the original font.
#[derive(Debug, Clone)]
struct Placed {
    font: FontKind,
    id: u16,
    /// Advance as a fraction of the font size.
    advance: f32,
    text: String,
}

enum Op {
    Text {
        font: FontKind,
        size: f32,
        x: f32,
        y: f32,
        glyphs: Vec<u16>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
        fill: Option<f32>,
    },
    Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
        width: f32,
    },
    Squares {
        cells: Vec<(f32, f32)>,
        side: f32,
    },
    Polyline {
        points: Vec<(f32, f32)>,
        width: f32,
        /// Pen pressure per point (0–1) when the signature carries it: each segment is drawn with the
        /// width its pressure gives.
        pressure: Option<Vec<f32>>,
    },
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// The template's background page, scaled to the page.
    Background {
        index: usize,
    },
}

struct Page {
    w: f32,
    h: f32,
    ops: Vec<Op>,
}

struct Face<'a> {
    face: ttf_parser::Face<'a>,
    upem: f32,
    ascent: f32,
}

struct Layout<'a> {
    faces: [(FontKind, Face<'a>); 2],
    /// Per face: original glyph id → the text it stands for (for ToUnicode).
    used: BTreeMap<FontKind, BTreeMap<u16, String>>,
    problems: Vec<Problem>,
    /// Raster images of the job, each embedded once.
    images: Vec<crate::image::Raster>,
    /// Background pages of the job, each embedded once.
    backgrounds: Vec<std::sync::Arc<crate::background::Background>>,
}

fn pieces(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in text.chars() {
        let selector = matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}');
        match out.last_mut() {
            Some(last) if selector => last.push(c),
            _ => out.push(c.to_string()),
        }
    }
    out
}

impl<'a> Layout<'a> {
    fn face(&self, kind: FontKind) -> &Face<'a> {
        &self.faces[if kind == FontKind::Mincho { 0 } else { 1 }].1
    }

    /// Glyphs for `text` in `primary`, falling back to the other face per character; characters neither
    /// face has are returned as missing.
    fn shape(&self, primary: FontKind, text: &str) -> (Vec<Placed>, String) {
        let other = if primary == FontKind::Mincho {
            FontKind::Gothic
        } else {
            FontKind::Mincho
        };
        let mut out = Vec::new();
        let mut missing = String::new();
        for piece in pieces(text) {
            let found = [primary, other].into_iter().find_map(|kind| {
                let f = self.face(kind);
                crate::font::shape_piece(&f.face, &piece).map(|g| (kind, g, f.upem))
            });
            match found {
                Some((font, g, upem)) => out.push(Placed {
                    font,
                    id: g.id,
                    advance: f32::from(g.advance) / upem,
                    text: g.text,
                }),
                None => {
                    let base = piece.chars().next().unwrap_or(' ');
                    if !base.is_whitespace() && !base.is_control() {
                        missing.push(base);
                    }
                    // A blank of one em keeps the layout.
                    let f = self.face(primary);
                    if let Some(g) = crate::font::shape_piece(&f.face, "\u{3000}") {
                        out.push(Placed {
                            font: primary,
                            id: g.id,
                            advance: f32::from(g.advance) / f.upem,
                            text: piece,
                        });
                    }
                }
            }
        }
        (out, missing)
    }

    fn record(&mut self, glyphs: &[Placed]) {
        for g in glyphs {
            self.used
                .entry(g.font)
                .or_default()
                .entry(g.id)
                .or_insert_with(|| g.text.clone());
        }
    }

    /// Emits one line of glyphs at (x, baseline) in points, split into runs per face.
    fn emit_line(
        &mut self,
        ops: &mut Vec<Op>,
        glyphs: &[Placed],
        size: f32,
        x: f32,
        baseline: f32,
    ) {
        self.record(glyphs);
        let mut cursor = x;
        let mut start = 0;
        while start < glyphs.len() {
            let font = glyphs[start].font;
            let end = glyphs[start..]
                .iter()
                .position(|g| g.font != font)
                .map_or(glyphs.len(), |n| start + n);
            let run = &glyphs[start..end];
            ops.push(Op::Text {
                font,
                size,
                x: cursor,
                y: baseline,
                glyphs: run.iter().map(|g| g.id).collect(),
            });
            cursor += run.iter().map(|g| g.advance).sum::<f32>() * size;
            start = end;
        }
    }
}

fn line_width(glyphs: &[Placed], size: f32) -> f32 {
    glyphs.iter().map(|g| g.advance).sum::<f32>() * size
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

struct Ctx<'d> {
    template: String,
    page_no: usize,
    page_h: f32,
    root: &'d Value,
    /// Vertical offset of the current row (mm), and the item binds resolve against.
    row: Option<(f32, &'d Value)>,
}

fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

impl Ctx<'_> {
    fn text(&self, bind: &str) -> String {
        match DataPath::parse(bind) {
            Ok(p) => p.text(self.row.map_or(self.root, |(_, item)| item)),
            Err(_) => String::new(), // checked when the template was parsed
        }
    }

    /// Top-left mm → PDF points (origin bottom-left).
    fn x(&self, x: f32) -> f32 {
        mm(x)
    }
    fn y(&self, y: f32) -> f32 {
        self.page_h - mm(y + self.row.map_or(0.0, |(dy, _)| dy))
    }
}

fn problem(ctx: &Ctx<'_>, element: &str, kind: ProblemKind) -> Problem {
    Problem {
        template: ctx.template.clone(),
        page: ctx.page_no,
        element: element.to_owned(),
        kind,
    }
}

fn draw(layout: &mut Layout<'_>, ctx: &Ctx<'_>, ops: &mut Vec<Op>, e: &Element) {
    match e {
        Element::Line {
            x1,
            y1,
            x2,
            y2,
            width,
        } => ops.push(Op::Line {
            x1: ctx.x(*x1),
            y1: ctx.y(*y1),
            x2: ctx.x(*x2),
            y2: ctx.y(*y2),
            width: *width,
        }),
        Element::Rect {
            x,
            y,
            w,
            h,
            width,
            fill,
        } => ops.push(Op::Rect {
            x: ctx.x(*x),
            y: ctx.y(y + h),
            w: mm(*w),
            h: mm(*h),
            width: *width,
            fill: *fill,
        }),
        Element::Text {
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
        } => {
            let (value, label) = match (text, bind) {
                (Some(t), _) => (t.clone(), t.clone()),
                (None, Some(b)) => (ctx.text(b), b.clone()),
                (None, None) => return,
            };
            if value.is_empty() {
                return;
            }
            let (bw, bh) = (mm(*w), mm(*h));
            if *vertical {
                draw_vertical(
                    layout,
                    ctx,
                    ops,
                    (*x, *y, bw, bh),
                    *font,
                    (*size, *min_size),
                    &value,
                    &label,
                );
                return;
            }
            // Largest size (in 0.5 pt steps) at which the text fits the box.
            let mut s = *size;
            let (lines, missing, s, fits) = loop {
                let (lines, missing) = break_lines(layout, *font, &value, bw, s, *wrap);
                let tall = lines.len() as f32 * s * LINE_GAP;
                let wide = lines.iter().map(|l| line_width(l, s)).fold(0.0, f32::max);
                let fits = tall <= bh + 0.01 && wide <= bw + 0.01;
                if fits || s - 0.5 < *min_size {
                    break (lines, missing, s, fits);
                }
                s -= 0.5;
            };
            if !fits {
                layout
                    .problems
                    .push(problem(ctx, &label, ProblemKind::Overflow));
            }
            if !missing.is_empty() {
                layout
                    .problems
                    .push(problem(ctx, &label, ProblemKind::MissingGlyphs(missing)));
            }
            let lh = s * LINE_GAP;
            let block = lines.len() as f32 * lh;
            let top = ctx.y(*y);
            let first_top = match valign {
                VAlign::Top => top,
                VAlign::Middle => top - (bh - block) / 2.0,
                VAlign::Bottom => top - (bh - block),
            };
            let ascent = layout.face(*font).ascent;
            for (i, line) in lines.iter().enumerate() {
                let lw = line_width(line, s);
                let lx = match align {
                    Align::Left => ctx.x(*x),
                    Align::Center => ctx.x(*x) + (bw - lw) / 2.0,
                    Align::Right => ctx.x(*x) + bw - lw,
                };
                let baseline = first_top - i as f32 * lh - (lh - s) / 2.0 - ascent * s;
                layout.emit_line(ops, line, s, lx, baseline);
            }
        }
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
        } => {
            let parts = [
                Element::Rect {
                    x: *x,
                    y: *y,
                    w: *w,
                    h: *h,
                    width: 0.4,
                    fill: None,
                },
                Element::Text {
                    x: x + 1.5,
                    y: *y,
                    w: label_w - 2.0,
                    h: *h,
                    text: Some(label.clone()),
                    bind: None,
                    font: FontKind::Gothic,
                    size: 9.0_f32.min(*size),
                    min_size: 5.0_f32.min(*min_size),
                    align: Align::Left,
                    valign: VAlign::Middle,
                    wrap: true,
                    vertical: false,
                },
                Element::Text {
                    x: x + label_w,
                    y: *y,
                    w: w - label_w - 1.5,
                    h: *h,
                    text: None,
                    bind: Some(bind.clone()),
                    font: *font,
                    size: *size,
                    min_size: *min_size,
                    align: Align::Left,
                    valign: VAlign::Middle,
                    wrap: true,
                    vertical: false,
                },
            ];
            for part in &parts {
                draw(layout, ctx, ops, part);
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
        } => {
            let value = ctx.text(bind);
            let chars = pieces(&value);
            for i in 0..*count {
                ops.push(Op::Rect {
                    x: ctx.x(x + w * i as f32),
                    y: ctx.y(y + h),
                    w: mm(*w),
                    h: mm(*h),
                    width: 0.3,
                    fill: None,
                });
            }
            if chars.len() > *count as usize {
                layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::Overflow));
            }
            let ascent = layout.face(*font).ascent;
            let mut missing = String::new();
            for (i, c) in chars.iter().take(*count as usize).enumerate() {
                let (glyphs, m) = layout.shape(*font, c);
                missing.push_str(&m);
                let gw = line_width(&glyphs, *size);
                let cx = ctx.x(x + w * i as f32) + (mm(*w) - gw) / 2.0;
                let baseline = ctx.y(*y) - (mm(*h) - size) / 2.0 - ascent * size;
                layout.emit_line(ops, &glyphs, *size, cx, baseline);
            }
            if !missing.is_empty() {
                layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::MissingGlyphs(missing)));
            }
        }
        Element::Check {
            x,
            y,
            size,
            bind,
            equals,
            label,
        } => {
            if let Some(label) = label {
                let text = Element::Text {
                    x: x + size + 1.0,
                    y: (y - 1.0).max(0.0),
                    w: label.chars().count() as f32 * 3.6 + 2.0,
                    h: size + 2.0,
                    text: Some(label.clone()),
                    bind: None,
                    font: FontKind::Gothic,
                    size: 10.0,
                    min_size: 6.0,
                    align: Align::Left,
                    valign: VAlign::Middle,
                    wrap: false,
                    vertical: false,
                };
                draw(layout, ctx, ops, &text);
            }
            let value = ctx.text(bind);
            let ticked = match equals {
                Some(want) => &value == want,
                None => !value.is_empty() && value != "false" && value != "0",
            };
            let (px, py, s) = (ctx.x(*x), ctx.y(y + size), mm(*size));
            ops.push(Op::Rect {
                x: px,
                y: py,
                w: s,
                h: s,
                width: 0.4,
                fill: None,
            });
            if ticked {
                ops.push(Op::Line {
                    x1: px + s * 0.18,
                    y1: py + s * 0.52,
                    x2: px + s * 0.42,
                    y2: py + s * 0.2,
                    width: 0.9,
                });
                ops.push(Op::Line {
                    x1: px + s * 0.42,
                    y1: py + s * 0.2,
                    x2: px + s * 0.85,
                    y2: py + s * 0.85,
                    width: 0.9,
                });
            }
        }
        Element::Choice {
            bind,
            font,
            size,
            options,
        } => {
            let value = ctx.text(bind);
            let ascent = layout.face(*font).ascent;
            let mut matched = value.is_empty();
            for o in options {
                let (glyphs, _) = layout.shape(*font, &o.label);
                let lw = line_width(&glyphs, *size);
                let (lx, top) = (ctx.x(o.x), ctx.y(o.y));
                layout.emit_line(ops, &glyphs, *size, lx, top - ascent * size);
                if o.value == value {
                    matched = true;
                    ops.push(Op::Ellipse {
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
                layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::InvalidValue));
            }
        }
        Element::Qr { x, y, size, bind } => {
            let value = ctx.text(bind);
            if value.is_empty() {
                return;
            }
            let Ok(code) = qrcodegen::QrCode::encode_text(&value, qrcodegen::QrCodeEcc::Medium)
            else {
                layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::Overflow));
                return;
            };
            let n = code.size();
            let side = mm(*size) / (n + 8) as f32; // 4 modules of quiet zone each side
            let (ox, oy) = (ctx.x(*x) + 4.0 * side, ctx.y(*y) - 4.0 * side);
            let mut cells = Vec::new();
            for r in 0..n {
                for c in 0..n {
                    if code.get_module(c, r) {
                        cells.push((ox + c as f32 * side, oy - (r + 1) as f32 * side));
                    }
                }
            }
            ops.push(Op::Squares { cells, side });
        }
        Element::Image { x, y, w, h, bind } => {
            let value = ctx.text(bind);
            if value.is_empty() {
                return;
            }
            let Some(raster) = crate::image::from_data_url(&value) else {
                layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::InvalidValue));
                return;
            };
            // Fit into the box, keeping proportions, centred.
            let (bw, bh) = (mm(*w), mm(*h));
            let scale = (bw / raster.width as f32).min(bh / raster.height as f32);
            let (iw, ih) = (raster.width as f32 * scale, raster.height as f32 * scale);
            let index = match layout.images.iter().position(|r| *r == raster) {
                Some(i) => i,
                None => {
                    layout.images.push(raster);
                    layout.images.len() - 1
                }
            };
            ops.push(Op::Image {
                index,
                x: ctx.x(*x) + (bw - iw) / 2.0,
                y: ctx.y(y + h) + (bh - ih) / 2.0,
                w: iw,
                h: ih,
            });
        }
        Element::Strokes {
            x,
            y,
            w,
            h,
            bind,
            width,
        } => {
            let Some(value) = DataPath::parse(bind).ok().and_then(|p| {
                p.lookup(ctx.row.map_or(ctx.root, |(_, item)| item))
                    .cloned()
            }) else {
                return;
            };
            if value.is_null() {
                return;
            }
            // A point is [x, y] or [x, y, pressure], each from 0 to 1.
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
            type Stroke = Vec<((f32, f32), Option<f32>)>;
            let strokes: Option<Vec<Stroke>> = value.as_array().and_then(|strokes| {
                strokes
                    .iter()
                    .map(|s| s.as_array()?.iter().map(point).collect())
                    .collect()
            });
            match strokes {
                Some(strokes) => {
                    for stroke in strokes.into_iter().filter(|p| p.len() >= 2) {
                        let pressure = stroke.iter().map(|(_, p)| *p).collect::<Option<Vec<f32>>>();
                        ops.push(Op::Polyline {
                            points: stroke.into_iter().map(|(pt, _)| pt).collect(),
                            width: *width,
                            pressure,
                        });
                    }
                }
                None => layout
                    .problems
                    .push(problem(ctx, bind, ProblemKind::InvalidValue)),
            }
        }
        Element::Rows { .. } => {} // laid out by the page
    }
}

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

/// 縦書き text in a box (points): columns from the right edge, each character centred in a 1 em cell.
#[allow(clippy::too_many_arguments)]
fn draw_vertical(
    layout: &mut Layout<'_>,
    ctx: &Ctx<'_>,
    ops: &mut Vec<Op>,
    (x, y, bw, bh): (f32, f32, f32, f32),
    font: FontKind,
    (size, min_size): (f32, f32),
    value: &str,
    label: &str,
) {
    let mut s = size;
    let (columns, missing, s, fits) = loop {
        let per = (bh / s).floor() as usize;
        let (columns, missing) = break_columns(layout, font, value, per);
        let fits = per > 0 && columns.len() as f32 * s * LINE_GAP <= bw + 0.01;
        if fits || s - 0.5 < min_size {
            break (columns, missing, s, fits);
        }
        s -= 0.5;
    };
    if !fits {
        layout
            .problems
            .push(problem(ctx, label, ProblemKind::Overflow));
    }
    if !missing.is_empty() {
        layout
            .problems
            .push(problem(ctx, label, ProblemKind::MissingGlyphs(missing)));
    }
    let ascent = layout.face(font).ascent;
    let right = ctx.x(x) + bw;
    let top = ctx.y(y);
    for (i, column) in columns.iter().enumerate() {
        let center = right - (i as f32 + 0.5) * s * LINE_GAP;
        for (j, g) in column.iter().enumerate() {
            let gx = center - g.advance * s / 2.0;
            let baseline = top - j as f32 * s - ascent * s;
            layout.emit_line(ops, std::slice::from_ref(g), s, gx, baseline);
        }
    }
}

/// Lays out every form of the job into pages.
fn layout_pages<'a>(layout: &mut Layout<'a>, forms: &[(&Template, &Value)]) -> Vec<Page> {
    let mut pages = Vec::new();
    for (template, data) in forms {
        let (wmm, hmm) = template.page.size_mm();
        let rows: Vec<(&Element, Vec<Value>)> = template
            .elements
            .iter()
            .filter_map(|e| match e {
                Element::Rows { bind, .. } => {
                    let items = DataPath::parse(bind)
                        .ok()
                        .and_then(|p| p.lookup(data).cloned())
                        .and_then(|v| v.as_array().cloned())
                        .unwrap_or_default();
                    Some((e, items))
                }
                _ => None,
            })
            .collect();
        let sheets = rows
            .iter()
            .map(|(e, items)| match e {
                Element::Rows { max_rows, .. } => items.len().div_ceil(*max_rows as usize),
                _ => 1,
            })
            .max()
            .unwrap_or(1)
            .max(1);
        for sheet in 0..sheets {
            let mut root = (*data).clone();
            if let Value::Object(m) = &mut root {
                m.insert("$page".into(), Value::from(sheet + 1));
                m.insert("$pages".into(), Value::from(sheets));
            }
            let page_no = pages.len() + 1;
            let mut ops = Vec::new();
            if let Some(bg) = &template.background_pdf {
                let index = match layout
                    .backgrounds
                    .iter()
                    .position(|b| std::sync::Arc::ptr_eq(b, bg))
                {
                    Some(i) => i,
                    None => {
                        layout.backgrounds.push(bg.clone());
                        layout.backgrounds.len() - 1
                    }
                };
                ops.push(Op::Background { index });
            }
            let base = Ctx {
                template: template.id.clone(),
                page_no,
                page_h: mm(hmm),
                root: &root,
                row: None,
            };
            for e in &template.elements {
                draw(layout, &base, &mut ops, e);
            }
            for (e, items) in &rows {
                let Element::Rows {
                    y,
                    height,
                    max_rows,
                    elements,
                    ..
                } = e
                else {
                    continue;
                };
                let per = *max_rows as usize;
                for (i, item) in items.iter().skip(sheet * per).take(per).enumerate() {
                    let ctx = Ctx {
                        row: Some((y + height * i as f32, item)),
                        template: base.template.clone(),
                        page_no,
                        page_h: base.page_h,
                        root: &root,
                    };
                    for inner in elements {
                        draw(layout, &ctx, &mut ops, inner);
                    }
                }
            }
            pages.push(Page {
                w: mm(wmm),
                h: mm(hmm),
                ops,
            });
        }
    }
    pages
}

/// A stable six-letter subset tag derived from the glyphs used (FNV-1a), as PDF wants `ABCDEF+Name`.
fn subset_tag(gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in gids {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

/// Renders the forms of one print job, in order, into one PDF.
pub fn render(fonts: &Fonts, forms: &[(&Template, &Value)]) -> Result<Rendered, FormsError> {
    let face_of = |kind: FontKind| -> Result<Face<'_>, FormsError> {
        let face = fonts.get(kind).face()?;
        let upem = f32::from(face.units_per_em());
        let ascent = f32::from(face.ascender()) / upem;
        Ok(Face { face, upem, ascent })
    };
    let mut layout = Layout {
        faces: [
            (FontKind::Mincho, face_of(FontKind::Mincho)?),
            (FontKind::Gothic, face_of(FontKind::Gothic)?),
        ],
        used: BTreeMap::new(),
        problems: Vec::new(),
        images: Vec::new(),
        backgrounds: Vec::new(),
    };
    if let Some((t, _)) = forms
        .iter()
        .find(|(t, _)| t.page.background.is_some() && t.background_pdf.is_none())
    {
        return Err(FormsError::Template {
            line: 0,
            column: 0,
            reason: format!("「{}」の背景のPDFが読み込まれていません。", t.id),
        });
    }
    let pages = layout_pages(&mut layout, forms);

    let mut next = 0;
    let mut alloc = || {
        next += 1;
        Ref::new(next)
    };
    let catalog = alloc();
    let tree = alloc();
    let mut pdf = Pdf::new();

    // Fonts: subset, then map original glyph ids to the subset's.
    let mut remaps: BTreeMap<FontKind, (Ref, subsetter::GlyphRemapper)> = BTreeMap::new();
    for (kind, used) in &layout.used {
        let gids: Vec<u16> = used.keys().copied().collect();
        let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
        let file = fonts.get(*kind);
        let subset = subsetter::subset(&file.data, 0, &remapper)
            .map_err(|e| FormsError::Font(format!("subsetting {}: {e}", kind.postscript_name())))?;
        let face = layout.face(*kind);
        let base = format!("{}+{}", subset_tag(&gids), kind.postscript_name());
        let (type0, cid, descriptor, file_ref, cmap_ref) =
            (alloc(), alloc(), alloc(), alloc(), alloc());
        pdf.type0_font(type0)
            .base_font(Name(base.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap_ref);
        let mut widths: Vec<(u16, f32)> = used
            .keys()
            .filter_map(|old| {
                let new = remapper.get(*old)?;
                let adv = face
                    .face
                    .glyph_hor_advance(ttf_parser::GlyphId(*old))
                    .unwrap_or(0);
                Some((new, f32::from(adv) * 1000.0 / face.upem))
            })
            .collect();
        widths.sort_by_key(|(g, _)| *g);
        let system = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };
        {
            let mut c = pdf.cid_font(cid);
            c.subtype(CidFontType::Type2)
                .base_font(Name(base.as_bytes()))
                .system_info(system)
                .font_descriptor(descriptor)
                .default_width(1000.0)
                .cid_to_gid_map_predefined(Name(b"Identity"));
            let mut w = c.widths();
            for (g, width) in &widths {
                w.consecutive(*g, [*width]);
            }
            w.finish();
        }
        let bbox = face.face.global_bounding_box();
        let scale = |v: i16| f32::from(v) * 1000.0 / face.upem;
        let mut flags = FontFlags::SYMBOLIC;
        if *kind == FontKind::Mincho {
            flags |= FontFlags::SERIF;
        }
        pdf.font_descriptor(descriptor)
            .name(Name(base.as_bytes()))
            .flags(flags)
            .bbox(Rect::new(
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ))
            .italic_angle(0.0)
            .ascent(scale(face.face.ascender()))
            .descent(scale(face.face.descender()))
            .cap_height(scale(
                face.face.capital_height().unwrap_or(face.face.ascender()),
            ))
            .stem_v(80.0)
            .font_file2(file_ref);
        let packed = deflate(&subset);
        pdf.stream(file_ref, &packed)
            .filter(Filter::FlateDecode)
            .pair(Name(b"Length1"), subset.len() as i32);
        let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
        for (old, text) in used {
            if let Some(new) = remapper.get(*old) {
                cmap.pair_with_multiple(new, text.chars());
            }
        }
        let cmap_bytes = cmap.finish();
        pdf.cmap(cmap_ref, cmap_bytes.as_slice());
        remaps.insert(*kind, (type0, remapper));
    }

    // Images: one XObject each (with a soft mask for PNG alpha).
    let mut image_refs = Vec::new();
    for raster in &layout.images {
        let id = alloc();
        image_refs.push(id);
        match &raster.data {
            crate::image::RasterData::Jpeg { bytes, components } => {
                let mut x = pdf.image_xobject(id, bytes);
                x.filter(Filter::DctDecode);
                x.width(raster.width as i32)
                    .height(raster.height as i32)
                    .bits_per_component(8)
                    .color_space_name(match components {
                        1 => Name(b"DeviceGray"),
                        4 => Name(b"DeviceCMYK"),
                        _ => Name(b"DeviceRGB"),
                    });
                if *components == 4 {
                    // Adobe writes CMYK JPEGs inverted.
                    x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
                }
            }
            crate::image::RasterData::Samples {
                rgb,
                samples,
                alpha,
            } => {
                let mask = alpha.as_ref().map(|a| (alloc(), deflate(a)));
                let packed = deflate(samples);
                let mut x = pdf.image_xobject(id, &packed);
                x.filter(Filter::FlateDecode);
                x.width(raster.width as i32)
                    .height(raster.height as i32)
                    .bits_per_component(8)
                    .color_space_name(if *rgb {
                        Name(b"DeviceRGB")
                    } else {
                        Name(b"DeviceGray")
                    });
                if let Some((mask_id, _)) = &mask {
                    x.s_mask(*mask_id);
                }
                x.finish();
                if let Some((mask_id, data)) = &mask {
                    let mut m = pdf.image_xobject(*mask_id, data);
                    m.filter(Filter::FlateDecode);
                    m.width(raster.width as i32)
                        .height(raster.height as i32)
                        .bits_per_component(8)
                        .color_space_name(Name(b"DeviceGray"));
                }
            }
        }
    }
    let image_names: Vec<String> = (0..image_refs.len()).map(|i| format!("Im{i}")).collect();
    let mut background_refs = Vec::new();
    for bg in &layout.backgrounds {
        background_refs.push(bg.write(&mut pdf, &mut alloc)?);
    }
    let background_names: Vec<String> = (0..background_refs.len())
        .map(|i| format!("Bg{i}"))
        .collect();

    let font_name = |kind: FontKind| match kind {
        FontKind::Mincho => Name(b"Fm"),
        FontKind::Gothic => Name(b"Fg"),
    };
    let mut page_refs = Vec::new();
    for page in &pages {
        let (page_ref, content_ref) = (alloc(), alloc());
        page_refs.push(page_ref);
        let mut c = Content::new();
        c.set_stroke_gray(0.0);
        for op in &page.ops {
            match op {
                Op::Text {
                    font,
                    size,
                    x,
                    y,
                    glyphs,
                } => {
                    let Some((_, remapper)) = remaps.get(font) else {
                        continue;
                    };
                    let bytes: Vec<u8> = glyphs
                        .iter()
                        .flat_map(|g| remapper.get(*g).unwrap_or(0).to_be_bytes())
                        .collect();
                    c.begin_text()
                        .set_font(font_name(*font), *size)
                        .set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y])
                        .show(Str(&bytes))
                        .end_text();
                }
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
                } => {
                    let k = 0.552_284_8;
                    c.set_line_width(*width)
                        .move_to(cx + rx, *cy)
                        .cubic_to(cx + rx, cy + ry * k, cx + rx * k, cy + ry, *cx, cy + ry)
                        .cubic_to(cx - rx * k, cy + ry, cx - rx, cy + ry * k, cx - rx, *cy)
                        .cubic_to(cx - rx, cy - ry * k, cx - rx * k, cy - ry, *cx, cy - ry)
                        .cubic_to(cx + rx * k, cy - ry, cx + rx, cy - ry * k, cx + rx, *cy)
                        .close_path()
                        .stroke();
                }
                Op::Background { index } => {
                    let bg = &layout.backgrounds[*index];
                    let (bw, bh) = bg.size();
                    let (ox, oy) = bg.origin();
                    let (sx, sy) = (page.w / bw.max(1.0), page.h / bh.max(1.0));
                    c.save_state()
                        .transform([sx, 0.0, 0.0, sy, -ox * sx, -oy * sy])
                        .x_object(Name(background_names[*index].as_bytes()))
                        .restore_state();
                }
                Op::Image { index, x, y, w, h } => {
                    c.save_state()
                        .transform([*w, 0.0, 0.0, *h, *x, *y])
                        .x_object(Name(image_names[*index].as_bytes()))
                        .restore_state();
                }
                Op::Polyline {
                    points,
                    width,
                    pressure: None,
                } => {
                    if let Some((first, rest)) = points.split_first() {
                        c.set_line_width(*width).move_to(first.0, first.1);
                        for p in rest {
                            c.line_to(p.0, p.1);
                        }
                        c.stroke();
                    }
                }
                Op::Polyline {
                    points,
                    width,
                    pressure: Some(pressure),
                } => {
                    // Ink follows the pen: each segment's width from its pressure (30 % at the
                    // lightest touch), round caps so that the segments join smoothly.
                    c.save_state()
                        .set_line_cap(pdf_writer::types::LineCapStyle::RoundCap);
                    for (i, pair) in points.windows(2).enumerate() {
                        let p = (pressure[i] + pressure[i + 1]) / 2.0;
                        c.set_line_width(width * (0.3 + 0.7 * p))
                            .move_to(pair[0].0, pair[0].1)
                            .line_to(pair[1].0, pair[1].1)
                            .stroke();
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
        let content = deflate(&c.finish());
        pdf.stream(content_ref, &content)
            .filter(Filter::FlateDecode);
        let mut p = pdf.page(page_ref);
        p.media_box(Rect::new(0.0, 0.0, page.w, page.h))
            .parent(tree)
            .contents(content_ref);
        let mut res = p.resources();
        let mut f = res.fonts();
        for (kind, (font_ref, _)) in &remaps {
            f.pair(font_name(*kind), *font_ref);
        }
        f.finish();
        let used_images: std::collections::BTreeSet<usize> = page
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Image { index, .. } => Some(*index),
                _ => None,
            })
            .collect();
        let used_backgrounds: std::collections::BTreeSet<usize> = page
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Background { index } => Some(*index),
                _ => None,
            })
            .collect();
        if !used_images.is_empty() || !used_backgrounds.is_empty() {
            let mut xo = res.x_objects();
            for i in used_images {
                xo.pair(Name(image_names[i].as_bytes()), image_refs[i]);
            }
            for i in used_backgrounds {
                xo.pair(Name(background_names[i].as_bytes()), background_refs[i]);
            }
            xo.finish();
        }
        res.finish();
        p.finish();
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);
    Ok(Rendered {
        pdf: pdf.finish(),
        pages: pages.len(),
        problems: layout.problems,
    })
}
