//! The forms of a print job laid out into pages: each form on one sheet, or on as many as its longest
//! list of rows needs (a continuation sheet is the whole page again, with the next items).

use serde_json::Value;

use super::context::{Canvas, Ctx};
use super::layout::Layout;
use super::mark::draw_marked as draw;
use super::page::{Op, Page, mm};
use super::pattern::draw_pattern;
use crate::data::Path as DataPath;
use crate::template::{Element, OnlyOn, Template};

/// A `rows` element with the items its bind gives.
type Rows<'t> = Vec<(&'t Element, Vec<Value>)>;

/// Lays out every form of the job into pages.
pub(super) fn layout_pages(layout: &mut Layout<'_>, forms: &[(&Template, &Value)]) -> Vec<Page> {
    let mut pages = Vec::new();
    for (template, data) in forms {
        let rows = rows(template, data);
        let sheets = sheets(&rows);
        for sheet in 0..sheets {
            let page_no = pages.len() + 1;
            pages.push(draw_sheet(
                layout,
                (template, data),
                &rows,
                (sheet, sheets),
                page_no,
            ));
        }
    }
    pages
}

/// The template's `rows` elements with their items (none when the bind gives no list).
fn rows<'t>(template: &'t Template, data: &Value) -> Rows<'t> {
    template
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
        .collect()
}

/// Sheets a form takes: as many as its longest list of rows needs, at least one.
fn sheets(rows: &Rows<'_>) -> usize {
    rows.iter()
        .map(|(e, items)| match e {
            Element::Rows { max_rows, .. } => items.len().div_ceil(*max_rows as usize),
            _ => 1,
        })
        .max()
        .unwrap_or(1)
        .max(1)
}

/// One sheet of a form: its background, its patterns, its elements (those `only_on` does not keep to
/// another sheet), then this sheet's share of each list of rows. `$page` and `$pages` give the sheet's
/// number (from 1) and how many the form takes.
fn draw_sheet(
    layout: &mut Layout<'_>,
    (template, data): (&Template, &Value),
    rows: &Rows<'_>,
    (sheet, sheets): (usize, usize),
    page_no: usize,
) -> Page {
    let (wmm, hmm) = template.page.size_mm();
    let mut root = data.clone();
    if let Value::Object(m) = &mut root {
        m.insert("$page".into(), Value::from(sheet + 1));
        m.insert("$pages".into(), Value::from(sheets));
    }
    let mut ops = Vec::new();
    if let (Some(bg), Some(spec)) = (&template.background_pdf, &template.page.background) {
        let index = layout.background_index(bg);
        let (x, y, w, h) = spec.placement(wmm, hmm);
        ops.push(Op::Background {
            index,
            x: mm(x),
            y: mm(hmm - y - h),
            w: mm(w),
            h: mm(h),
        });
    }
    let base = Ctx {
        template: template.id.clone(),
        page_no,
        page_h: mm(hmm),
        root: &root,
        row: None,
    };
    let mut canvas = Canvas {
        layout,
        ctx: &base,
        ops: &mut ops,
    };
    let shown = |e: &&Element| OnlyOn::shows(e.only_on(), sheet, sheets);
    let is_pattern = |e: &&Element| matches!(e, Element::Pattern { .. });
    // Patterns (地紋) first, beneath everything else, wherever they stand in the list.
    for e in template.elements.iter().filter(shown).filter(is_pattern) {
        draw_pattern(&mut canvas, e, (wmm, hmm));
    }
    for e in template.elements.iter().filter(shown) {
        if !is_pattern(&e) {
            draw(&mut canvas, e);
        }
    }
    for (e, items) in rows {
        draw_rows(&mut canvas, e, items, (sheet, sheets));
    }
    if canvas.layout.grid {
        super::grid::draw_grid(&mut canvas, (wmm, hmm));
    }
    Page {
        w: mm(wmm),
        h: mm(hmm),
        ops,
    }
}

/// The items of one list that fall on sheet `sheet` drawn onto the page, each row's elements against
/// its item.
fn draw_rows(
    page: &mut Canvas<'_, '_, '_>,
    e: &Element,
    items: &[Value],
    (sheet, sheets): (usize, usize),
) {
    let Element::Rows {
        y,
        height,
        max_rows,
        elements,
        ..
    } = e
    else {
        return;
    };
    let per = *max_rows as usize;
    for (i, item) in items.iter().skip(sheet * per).take(per).enumerate() {
        let ctx = Ctx {
            row: Some((y + height * i as f32, item)),
            template: page.ctx.template.clone(),
            page_no: page.ctx.page_no,
            page_h: page.ctx.page_h,
            root: page.ctx.root,
        };
        let mut row = Canvas {
            layout: &mut *page.layout,
            ctx: &ctx,
            ops: &mut *page.ops,
        };
        for inner in elements {
            if OnlyOn::shows(inner.only_on(), sheet, sheets) {
                draw(&mut row, inner);
            }
        }
    }
}
