//! Previews: a millimetre grid over the page with its figures every 10 mm along the top and the left
//! edge, so that the template editor reads where a box of the background lies.

use super::context::Canvas;
use super::draw::draw;
use super::page::{Op, mm};
use crate::font::FontKind;
use crate::template::{Align, Element, VAlign};

/// Draws the grid over everything drawn so far on the page (`wmm`×`hmm` mm).
pub(super) fn draw_grid(c: &mut Canvas<'_, '_, '_>, (wmm, hmm): (f32, f32)) {
    c.ops.push(Op::Grid {
        w: mm(wmm),
        h: mm(hmm),
    });
    let figure = |x: f32, y: f32, value: u32| Element::Text {
        x,
        y,
        w: 8.0,
        h: 3.0,
        text: Some(value.to_string()),
        bind: None,
        font: FontKind::Gothic,
        size: 5.0,
        min_size: 5.0,
        align: Align::Left,
        valign: VAlign::Top,
        wrap: false,
        vertical: false,
        only_on: None,
    };
    let mut v = 10;
    while (v as f32) < wmm - 4.0 {
        draw(c, &figure(v as f32 + 0.4, 0.4, v));
        v += 10;
    }
    let mut v = 10;
    while (v as f32) < hmm - 3.0 {
        draw(c, &figure(0.4, v as f32 + 0.4, v));
        v += 10;
    }
}
