//! A laid-out page: what to draw, in PDF points from the bottom-left corner, before it is written as PDF.

use crate::font::FontKind;

const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres (as templates measure) → PDF points.
pub(super) fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// One drawing operation, in points.
pub(super) enum Op {
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
    /// The template's background page, scaled into its box (points, origin bottom-left).
    Background {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// The preview's millimetre grid over the page (`w`×`h` points): a thin line every 5 mm, a
    /// stronger one every 10 mm.
    Grid {
        w: f32,
        h: f32,
    },
    /// A box filled with one of the job's guilloche patterns (地紋).
    Pattern {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// A red frame around an element with a problem (previews only, never on a printed form).
    Mark {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    /// Operations clipped to a box and filled in a grey (microtext).
    Clipped {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: f32,
        ops: Vec<Op>,
    },
}

/// One page of the print job: its size in points and what is drawn on it, in order.
pub(super) struct Page {
    pub(super) w: f32,
    pub(super) h: f32,
    pub(super) ops: Vec<Op>,
}
