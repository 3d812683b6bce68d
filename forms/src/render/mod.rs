//! Laying templates out with case data, then writing one PDF: fonts embedded as subset CID fonts with
//! ToUnicode maps (text is extractable), streams compressed, no dates or random ids (same input, same
//! bytes).
//!
//! `paginate` lays each form out on its sheets, `draw` turns elements into drawing operations (`text`
//! and `vertical` set text in boxes, `pattern` the 地紋 beneath) against the job's `layout` state, and
//! `pdf` writes the pages.

mod context;
mod draw;
mod grid;
mod layout;
mod mark;
mod page;
mod paginate;
mod pattern;
mod pdf;
mod problem;
mod text;
mod vertical;

use serde_json::Value;

use self::layout::Layout;
use crate::FormsError;
use crate::font::Fonts;
use crate::template::Template;

pub use self::problem::{Problem, ProblemKind};

/// A rendered print job.
#[derive(Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    pub pages: usize,
    pub problems: Vec<Problem>,
}

/// Renders the forms of one print job, in order, into one PDF.
pub fn render(fonts: &Fonts, forms: &[(&Template, &Value)]) -> Result<Rendered, FormsError> {
    render_job(fonts, forms, (false, false))
}

/// Renders like [`render`] for the template editor's preview: every element with a problem framed in
/// red, so that the problems are seen where they are on the form; with `grid`, a millimetre grid
/// over each page.
pub fn render_preview(
    fonts: &Fonts,
    forms: &[(&Template, &Value)],
    grid: bool,
) -> Result<Rendered, FormsError> {
    render_job(fonts, forms, (true, grid))
}

fn render_job(
    fonts: &Fonts,
    forms: &[(&Template, &Value)],
    (mark_problems, grid): (bool, bool),
) -> Result<Rendered, FormsError> {
    let mut layout = Layout::new(fonts)?;
    layout.mark_problems = mark_problems;
    layout.grid = grid;
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
    let pages = paginate::layout_pages(&mut layout, forms);
    let pdf = pdf::write(fonts, &layout, &pages)?;
    Ok(Rendered {
        pdf,
        pages: pages.len(),
        problems: layout.problems,
    })
}
