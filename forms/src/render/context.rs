//! Where an element is drawn: the form and page it is on, the data its binds resolve against, the
//! conversion from the template's millimetres (origin top-left) to PDF points (origin bottom-left), and
//! the canvas drawing writes to.

use serde_json::Value;

use super::layout::{Layout, Placed};
use super::page::{Op, mm};
use super::problem::{Problem, ProblemKind};
use crate::data::Path as DataPath;

/// The place an element is drawn at: its form, page and data.
pub(super) struct Ctx<'d> {
    pub(super) template: String,
    pub(super) page_no: usize,
    pub(super) page_h: f32,
    pub(super) root: &'d Value,
    /// Vertical offset of the current row (mm), and the item binds resolve against.
    pub(super) row: Option<(f32, &'d Value)>,
}

impl<'d> Ctx<'d> {
    /// What binds resolve against: the row's item inside `rows`, else the form's data.
    pub(super) fn scope(&self) -> &'d Value {
        self.row.map_or(self.root, |(_, item)| item)
    }

    /// The bound value as text (empty when missing).
    pub(super) fn text(&self, bind: &str) -> String {
        match DataPath::parse(bind) {
            Ok(p) => p.text(self.scope()),
            Err(_) => String::new(), // checked when the template was parsed
        }
    }

    /// Top-left mm → PDF points (origin bottom-left).
    pub(super) fn x(&self, x: f32) -> f32 {
        mm(x)
    }
    pub(super) fn y(&self, y: f32) -> f32 {
        self.page_h - mm(y + self.row.map_or(0.0, |(dy, _)| dy))
    }

    /// A problem with `element` on this page.
    pub(super) fn problem(&self, element: &str, kind: ProblemKind) -> Problem {
        Problem {
            template: self.template.clone(),
            page: self.page_no,
            element: element.to_owned(),
            kind,
        }
    }
}

/// What an element is drawn onto: the job's layout state and the page's operations, at the place `ctx`
/// gives.
pub(super) struct Canvas<'c, 'a, 'd> {
    pub(super) layout: &'c mut Layout<'a>,
    pub(super) ctx: &'c Ctx<'d>,
    pub(super) ops: &'c mut Vec<Op>,
}

impl Canvas<'_, '_, '_> {
    /// Records a problem with `element` on this page.
    pub(super) fn report(&mut self, element: &str, kind: ProblemKind) {
        self.layout.problems.push(self.ctx.problem(element, kind));
    }

    /// Emits one line of glyphs at (x, baseline) in points.
    pub(super) fn emit_line(&mut self, glyphs: &[Placed], size: f32, x: f32, baseline: f32) {
        self.layout.emit_line(self.ops, glyphs, size, x, baseline);
    }
}
