//! What a render reports for a staff member to look at.

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
