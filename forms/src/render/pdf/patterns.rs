//! The job's guilloche patterns (地紋) as tiling patterns: one small cell of interlaced wave lines,
//! periodic across the cell's edges, that the viewer repeats over the box it fills. A page of guilloche
//! costs a few kilobytes however large the box.

use std::f32::consts::TAU;

use pdf_writer::types::{PaintType, TilingType};
use pdf_writer::{Content, Filter, Finish, Pdf, Rect, Ref};

use super::objects::{Refs, deflate};

/// Width of the cell in points (one period of every wave).
const CELL_W: f32 = 60.0;
/// Height of the cell in points.
const CELL_H: f32 = 30.0;
/// Lines of each family per cell.
const LINES: usize = 10;
/// Cubic segments per wave line across the cell.
const SEGMENTS: usize = 16;
/// Line width in points.
const LINE_W: f32 = 0.12;

/// A wave line across the cell: its height at `x` and its slope there.
struct Wave {
    /// Height of the line's centre.
    base: f32,
    /// (amplitude, periods per cell, phase) of each sine summed.
    terms: [(f32, f32, f32); 2],
}

impl Wave {
    fn at(&self, x: f32) -> (f32, f32) {
        self.terms
            .iter()
            .fold((self.base, 0.0), |(y, dy), (a, k, phase)| {
                let w = TAU * k / CELL_W;
                (
                    y + a * (w * x + phase).sin(),
                    dy + a * w * (w * x + phase).cos(),
                )
            })
    }

    /// The lowest and highest the line goes.
    fn extent(&self) -> (f32, f32) {
        let swing: f32 = self.terms.iter().map(|(a, _, _)| a.abs()).sum();
        (self.base - swing, self.base + swing)
    }
}

/// The wave lines of the cell: two families of rope-like waves twisting against each other (each line
/// a step further in phase, so that they interlace), and a fine counter-wave between them. Every line
/// is periodic across the cell's width; the families repeat across its height.
fn waves() -> Vec<Wave> {
    let step = CELL_H / LINES as f32;
    let mut out = Vec::new();
    for i in 0..LINES {
        let turn = TAU * i as f32 / LINES as f32;
        let base = (i as f32 + 0.5) * step;
        out.push(Wave {
            base,
            terms: [(7.0, 1.0, turn), (1.2, 3.0, 0.0)],
        });
        out.push(Wave {
            base,
            terms: [(7.0, 1.0, -turn), (1.2, 3.0, TAU / 2.0)],
        });
        out.push(Wave {
            base: base + step / 2.0,
            terms: [(1.0, 4.0, turn), (0.5, 2.0, 0.0)],
        });
    }
    out
}

/// The content of the cell: every wave as cubic Béziers (Hermite, from its slope), drawn once more a
/// cell higher or lower where it crosses the cell's top or bottom edge.
fn cell(grey: f32) -> Vec<u8> {
    let mut c = Content::new();
    c.set_stroke_gray(grey).set_line_width(LINE_W);
    let dx = CELL_W / SEGMENTS as f32;
    for wave in waves() {
        let (low, high) = wave.extent();
        for shift in [-CELL_H, 0.0, CELL_H] {
            if high + shift < -LINE_W || low + shift > CELL_H + LINE_W {
                continue;
            }
            let (y0, _) = wave.at(0.0);
            c.move_to(0.0, round(y0 + shift));
            for s in 0..SEGMENTS {
                let (x0, x1) = (s as f32 * dx, (s + 1) as f32 * dx);
                let ((ya, da), (yb, db)) = (wave.at(x0), wave.at(x1));
                c.cubic_to(
                    round(x0 + dx / 3.0),
                    round(ya + shift + da * dx / 3.0),
                    round(x1 - dx / 3.0),
                    round(yb + shift - db * dx / 3.0),
                    round(x1),
                    round(yb + shift),
                );
            }
        }
    }
    c.stroke();
    c.finish().to_vec()
}

/// Two decimals are finer than any printer dot and keep the cell small.
fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Writes one tiling pattern per grey level, returning them in the same order.
pub(super) fn embed(pdf: &mut Pdf, refs: &mut Refs, greys: &[f32]) -> Vec<Ref> {
    let mut out = Vec::new();
    for grey in greys {
        let id = refs.alloc();
        let packed = deflate(&cell(*grey));
        let mut p = pdf.tiling_pattern(id, &packed);
        p.filter(Filter::FlateDecode);
        p.paint_type(PaintType::Colored)
            .tiling_type(TilingType::ConstantSpacing)
            .bbox(Rect::new(0.0, 0.0, CELL_W, CELL_H))
            .x_step(CELL_W)
            .y_step(CELL_H);
        p.resources().finish();
        p.finish();
        out.push(id);
    }
    out
}
