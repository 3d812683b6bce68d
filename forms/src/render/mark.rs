//! Previews: an element that reported a problem while drawn gets a red frame around its box, so that
//! the template editor shows the overflow or missing character where it is on the form.

use super::context::Canvas;
use super::draw::draw;
use super::page::{Op, mm};
use crate::template::Element;

/// Draws `e`; in a preview, frames it when drawing it reported a problem.
pub(super) fn draw_marked(c: &mut Canvas<'_, '_, '_>, e: &Element) {
    let before = c.layout.problems.len();
    draw(c, e);
    if !c.layout.mark_problems || c.layout.problems.len() == before {
        return;
    }
    if let Some((x, y, w, h)) = element_box(e) {
        c.ops.push(Op::Mark {
            x: c.ctx.x(x),
            y: c.ctx.y(y + h),
            w: mm(w),
            h: mm(h),
        });
    }
}

/// The box an element is drawn in (mm from the top-left corner), when it has one.
fn element_box(e: &Element) -> Option<(f32, f32, f32, f32)> {
    match e {
        Element::Text { x, y, w, h, .. }
        | Element::Field { x, y, w, h, .. }
        | Element::Strokes { x, y, w, h, .. }
        | Element::Image { x, y, w, h, .. } => Some((*x, *y, *w, *h)),
        Element::Boxes {
            x, y, w, h, count, ..
        } => Some((*x, *y, w * *count as f32, *h)),
        Element::Check { x, y, size, .. } | Element::Qr { x, y, size, .. } => {
            Some((*x, *y, *size, *size))
        }
        Element::Choice { options, .. } => {
            let xs = options.iter().map(|o| o.x);
            let ys = options.iter().map(|o| o.y);
            let (x0, x1) = xs.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
            let (y0, y1) = ys.fold((f32::MAX, f32::MIN), |(a, b), v| (a.min(v), b.max(v)));
            (x0 <= x1).then_some((x0 - 2.0, y0 - 2.0, x1 - x0 + 12.0, y1 - y0 + 8.0))
        }
        Element::Line { .. }
        | Element::Rect { .. }
        | Element::Pattern { .. }
        | Element::Rows { .. } => None,
    }
}
