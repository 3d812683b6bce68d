//! The template format (`forms/templates/*.toml`, documented in `forms/README.md`): a page, a validity
//! period and elements placed in millimetres from the top-left corner, bound to paths in the case data.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::FormsError;
use crate::data::Path as DataPath;
use crate::font::FontKind;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id (`ido-todoke`); versions of one form share it.
    pub id: String,
    /// Name shown to staff (住民異動届).
    pub name: String,
    /// Version label (`2026-04`).
    pub version: String,
    /// 施行日: first day this version is used.
    pub valid_from: NaiveDate,
    /// 廃止日: first day it is no longer used, if replaced.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// The form carries a resident's personal data (names, addresses): the server prints it only for
    /// named residents, so that 支援措置 can be checked. Off for forms such as the 受付票.
    #[serde(default = "yes")]
    pub personal: bool,
    pub page: PageSpec,
    #[serde(default)]
    pub elements: Vec<Element>,
    /// The loaded background page (see [`Template::attach_background`]).
    #[serde(skip)]
    pub background_pdf: Option<std::sync::Arc<crate::background::Background>>,
}

/// A page of an existing PDF drawn under the template's elements, scaled to the page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackgroundSpec {
    /// File name next to the template (no folders), or the name a city's background PDF was
    /// uploaded under.
    pub file: String,
    #[serde(default = "one")]
    pub page: u32,
    /// Where the page is placed, in mm from the top-left corner (default: the whole page). A scanned
    /// form is moved and stretched with these until its boxes lie under the template's elements.
    #[serde(default)]
    pub x: Option<f32>,
    #[serde(default)]
    pub y: Option<f32>,
    #[serde(default)]
    pub w: Option<f32>,
    #[serde(default)]
    pub h: Option<f32>,
}

impl BackgroundSpec {
    /// The box the background page is drawn into (mm from the top-left corner) on a `pw`×`ph` page.
    pub fn placement(&self, pw: f32, ph: f32) -> (f32, f32, f32, f32) {
        let (x, y) = (self.x.unwrap_or(0.0), self.y.unwrap_or(0.0));
        (x, y, self.w.unwrap_or(pw - x), self.h.unwrap_or(ph - y))
    }

    /// Whether `name` may name a background: a PDF file name without folders.
    pub fn plain_file_name(name: &str) -> bool {
        !name.is_empty()
            && name.chars().count() <= 100
            && !name.contains(['/', '\\'])
            && !name.starts_with('.')
            && !name.chars().any(char::is_control)
            && name.to_ascii_lowercase().ends_with(".pdf")
    }
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PageSize {
    A4,
    A5,
    /// JIS B5 (182 × 257 mm), the B5 of Japanese offices.
    B5,
    /// 80 mm receipt roll; the length is `height_mm`.
    #[serde(rename = "roll80")]
    Roll80,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    pub size: PageSize,
    #[serde(default)]
    pub landscape: bool,
    /// Length of a roll page.
    #[serde(default)]
    pub height_mm: Option<f32>,
    /// The official form's own page as background.
    #[serde(default)]
    pub background: Option<BackgroundSpec>,
}

impl PageSpec {
    /// Width and height in millimetres.
    pub fn size_mm(&self) -> (f32, f32) {
        let (w, h) = match self.size {
            PageSize::A4 => (210.0, 297.0),
            PageSize::A5 => (148.0, 210.0),
            PageSize::B5 => (182.0, 257.0),
            PageSize::Roll80 => (80.0, self.height_mm.unwrap_or(120.0)),
        };
        if self.landscape { (h, w) } else { (w, h) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VAlign {
    Top,
    #[default]
    Middle,
    Bottom,
}

fn default_size() -> f32 {
    10.5
}
fn default_min_size() -> f32 {
    6.0
}
fn default_line() -> f32 {
    0.3
}
fn default_stroke() -> f32 {
    0.8
}
fn default_check() -> f32 {
    3.5
}
fn default_label_w() -> f32 {
    28.0
}
fn default_field_font() -> FontKind {
    FontKind::Mincho
}
fn default_field_size() -> f32 {
    11.0
}
fn yes() -> bool {
    true
}

/// One thing drawn on the page. Coordinates in mm from the top-left corner; inside `rows`, `y` is from
/// the top of the row and binds are relative to the row's item.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Element {
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        #[serde(default = "default_line")]
        width: f32,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        #[serde(default = "default_line")]
        width: f32,
        /// Grey fill, 0 (black) to 1 (white); none draws the outline only.
        #[serde(default)]
        fill: Option<f32>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// Fixed text (`text`) or a bound value (`bind`), shrunk to fit and wrapped; what does not fit at
    /// `min_size` is reported as an overflow.
    Text {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        bind: Option<String>,
        #[serde(default)]
        font: FontKind,
        #[serde(default = "default_size")]
        size: f32,
        #[serde(default = "default_min_size")]
        min_size: f32,
        #[serde(default)]
        align: Align,
        #[serde(default)]
        valign: VAlign,
        #[serde(default = "yes")]
        wrap: bool,
        /// 縦書き: columns from the right, top to bottom (`align`/`valign` do not apply).
        #[serde(default)]
        vertical: bool,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// A labelled cell: a box, the label (ゴシック, left) and the bound value (明朝 by default) beside it.
    Field {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        label: String,
        bind: String,
        #[serde(default = "default_label_w")]
        label_w: f32,
        #[serde(default = "default_field_font")]
        font: FontKind,
        #[serde(default = "default_field_size")]
        size: f32,
        #[serde(default = "default_min_size")]
        min_size: f32,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// Character boxes (マス目): one character per box, e.g. postal code or 個人番号.
    Boxes {
        x: f32,
        y: f32,
        /// Width of one box.
        w: f32,
        h: f32,
        count: u32,
        bind: String,
        #[serde(default)]
        font: FontKind,
        #[serde(default = "default_size")]
        size: f32,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// A tick box, ticked when the bound value is true, non-empty, or equal to `equals`.
    Check {
        x: f32,
        y: f32,
        #[serde(default = "default_check")]
        size: f32,
        bind: String,
        #[serde(default)]
        equals: Option<String>,
        /// Printed to the right of the box.
        #[serde(default)]
        label: Option<String>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// Printed choices (明・大・昭・平・令, 男・女): the one equal to the bound value is circled.
    Choice {
        bind: String,
        #[serde(default)]
        font: FontKind,
        #[serde(default = "default_size")]
        size: f32,
        options: Vec<ChoiceOption>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// Handwriting (a signature from a pen tablet): the bound value is a list of strokes, each a list of
    /// `[x, y]` points from 0 to 1 across the box, drawn as lines scaled into it.
    Strokes {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        bind: String,
        #[serde(default = "default_stroke")]
        width: f32,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// A raster image (seal impression, photo): the bound value is a `data:image/png;base64,…` or
    /// `data:image/jpeg;base64,…` URL, fitted into the box keeping its proportions, or, with
    /// `size_w_bind` and `size_h_bind`, drawn at the bound size (mm) centred in the box.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        bind: String,
        /// The width in mm to draw the image at (a number, or text such as `"15.0"`): a registered
        /// 印影 is printed at its real size, never scaled. Given together with `size_h_bind`.
        #[serde(default)]
        size_w_bind: Option<String>,
        /// The height in mm to draw the image at; given together with `size_w_bind`.
        #[serde(default)]
        size_h_bind: Option<String>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// A QR code of the bound value.
    Qr {
        x: f32,
        y: f32,
        size: f32,
        bind: String,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// 地紋: a fine background pattern that shows tampering and copying, drawn beneath every other
    /// element of the page wherever it stands in the list. The box defaults to the whole page.
    Pattern {
        #[serde(default)]
        x: Option<f32>,
        #[serde(default)]
        y: Option<f32>,
        #[serde(default)]
        w: Option<f32>,
        #[serde(default)]
        h: Option<f32>,
        #[serde(default)]
        style: PatternStyle,
        /// Grey level of the lines (0.80–0.97).
        #[serde(default = "default_grey")]
        grey: f32,
        /// `microtext` only: the text repeated (or `bind`, the value repeated).
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        bind: Option<String>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
    /// Repeating rows of a bound list (household members); items beyond `max_rows` continue on a
    /// continuation page (the whole page again, with the next items).
    Rows {
        bind: String,
        y: f32,
        /// Height of one row.
        height: f32,
        max_rows: u32,
        elements: Vec<Element>,
        /// Draw only on the first or the last sheet of the form (default: every sheet).
        #[serde(default)]
        only_on: Option<OnlyOn>,
    },
}

/// The sheets of a form an element is drawn on (`only_on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlyOn {
    /// The first sheet only.
    First,
    /// The last sheet only (the 認証文 after a list continued over several sheets).
    Last,
}

impl OnlyOn {
    /// Whether an element with `only_on` is drawn on sheet `sheet` (from 0) of `sheets`.
    pub fn shows(only_on: Option<OnlyOn>, sheet: usize, sheets: usize) -> bool {
        match only_on {
            None => true,
            Some(OnlyOn::First) => sheet == 0,
            Some(OnlyOn::Last) => sheet + 1 == sheets,
        }
    }
}

/// What a `pattern` (地紋) draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PatternStyle {
    /// Fine interlaced wave lines (彩紋).
    #[default]
    Guilloche,
    /// A text repeated in tiny type, row after row.
    Microtext,
}

/// The grey levels a pattern may use: light enough not to hide the print, dark enough to copy.
pub const PATTERN_GREY: std::ops::RangeInclusive<f32> = 0.80..=0.97;

fn default_grey() -> f32 {
    0.88
}

impl Element {
    /// The element's `only_on`.
    pub fn only_on(&self) -> Option<OnlyOn> {
        match self {
            Element::Line { only_on, .. }
            | Element::Rect { only_on, .. }
            | Element::Text { only_on, .. }
            | Element::Field { only_on, .. }
            | Element::Boxes { only_on, .. }
            | Element::Check { only_on, .. }
            | Element::Choice { only_on, .. }
            | Element::Strokes { only_on, .. }
            | Element::Image { only_on, .. }
            | Element::Qr { only_on, .. }
            | Element::Pattern { only_on, .. }
            | Element::Rows { only_on, .. } => *only_on,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub x: f32,
    pub y: f32,
    pub label: String,
    pub value: String,
}

impl Template {
    /// Parses and checks a template. Errors name the line and column and say why (Japanese).
    pub fn parse(source: &str) -> Result<Template, FormsError> {
        let t: Template = toml::from_str(source).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| {
                madoguchi_core::text::line_column(source, s.start)
            });
            FormsError::Template {
                line,
                column,
                reason: format!("書式が正しくありません: {}", e.message()),
            }
        })?;
        t.check().map_err(|reason| FormsError::Template {
            line: 0,
            column: 0,
            reason,
        })?;
        Ok(t)
    }

    /// Checks what the format cannot: the period, sizes, that everything lies on the page, binds.
    fn check(&self) -> Result<(), String> {
        let ok_id = !self.id.is_empty()
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok_id {
            return Err("id は半角英数字と - _ で指定してください。".into());
        }
        if self.valid_until.is_some_and(|u| u <= self.valid_from) {
            return Err("廃止日 (valid_until) は施行日 (valid_from) より後にしてください。".into());
        }
        if self.page.size == PageSize::Roll80
            && !self
                .page
                .height_mm
                .is_some_and(|h| (20.0..=2000.0).contains(&h))
        {
            return Err("80mm ロール紙には height_mm (20〜2000) が必要です。".into());
        }
        let (pw, ph) = self.page.size_mm();
        if let Some(bg) = &self.page.background {
            let (x, y, w, h) = bg.placement(pw, ph);
            let fits = [x, y, w, h].iter().all(|v| v.is_finite())
                && w > 0.0
                && h > 0.0
                && x > -pw
                && y > -ph
                && x < pw
                && y < ph
                && w <= 2.0 * pw
                && h <= 2.0 * ph;
            if !fits {
                return Err(
                    "背景の位置 (x, y) と大きさ (w, h) は、用紙の上に重なる正の値にしてください。"
                        .into(),
                );
            }
        }
        check_elements(&self.elements, pw, ph, None, "elements")
    }

    /// Loads the background page named by the template from `dir` (the template's folder).
    pub fn attach_background(&mut self, dir: &std::path::Path) -> Result<(), FormsError> {
        let Some(spec) = &self.page.background else {
            return Ok(());
        };
        if !BackgroundSpec::plain_file_name(&spec.file) {
            return Err(FormsError::Template {
                line: 0,
                column: 0,
                reason:
                    "背景の file はテンプレートと同じフォルダーの PDF ファイル名にしてください。"
                        .into(),
            });
        }
        let bytes = std::fs::read(dir.join(&spec.file)).map_err(|e| FormsError::Template {
            line: 0,
            column: 0,
            reason: format!("背景のPDF {} を読めません（{e}）。", spec.file),
        })?;
        self.attach_background_pdf(&bytes)
    }

    /// Loads the background page named by the template from the PDF in `bytes` (a background the
    /// city uploaded, kept in the store).
    pub fn attach_background_pdf(&mut self, bytes: &[u8]) -> Result<(), FormsError> {
        let Some(spec) = &self.page.background else {
            return Ok(());
        };
        let bg = crate::background::Background::load(bytes, spec.page)?;
        self.background_pdf = Some(std::sync::Arc::new(bg));
        Ok(())
    }

    /// Whether this version is in force on `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        date >= self.valid_from && self.valid_until.is_none_or(|u| date < u)
    }
}

/// The box of a `pattern` in mm (x, y, w, h): as given, else the whole page (from x, y on).
pub fn pattern_box(e: &Element, pw: f32, ph: f32) -> (f32, f32, f32, f32) {
    match e {
        Element::Pattern { x, y, w, h, .. } => {
            let (x, y) = (x.unwrap_or(0.0), y.unwrap_or(0.0));
            (x, y, w.unwrap_or(pw - x), h.unwrap_or(ph - y))
        }
        _ => (0.0, 0.0, 0.0, 0.0),
    }
}

/// Checks a list of elements: the page's, or a row's when `row_height` is given. `at` names the list in
/// messages.
fn check_elements(
    elements: &[Element],
    pw: f32,
    ph: f32,
    row_height: Option<f32>,
    at: &str,
) -> Result<(), String> {
    for (i, e) in elements.iter().enumerate() {
        let place = Place {
            pw,
            ph,
            row_height,
            here: format!("{at}[{i}]"),
        };
        place.check(e)?;
    }
    Ok(())
}

/// Where one element of a list must lie (page width, page height, the row's height inside `rows`), and
/// how messages name it.
struct Place {
    pw: f32,
    ph: f32,
    row_height: Option<f32>,
    here: String,
}

impl Place {
    fn check(&self, e: &Element) -> Result<(), String> {
        match e {
            Element::Line { x1, y1, x2, y2, .. } => {
                self.inside(x1.min(*x2), y1.min(*y2), (x2 - x1).abs(), (y2 - y1).abs())
            }
            Element::Rect {
                x, y, w, h, fill, ..
            } => self.rect((*x, *y, *w, *h), *fill),
            Element::Text {
                x,
                y,
                w,
                h,
                text,
                bind: b,
                size,
                min_size,
                ..
            } => self.text(
                (*x, *y, *w, *h),
                text.as_deref(),
                b.as_deref(),
                (*size, *min_size),
            ),
            Element::Field {
                x,
                y,
                w,
                h,
                bind: b,
                label_w,
                size,
                min_size,
                ..
            } => self.field((*x, *y, *w, *h), b, *label_w, (*size, *min_size)),
            Element::Boxes {
                x,
                y,
                w,
                h,
                count,
                bind: b,
                ..
            } => self.boxed((*x, *y, w * *count as f32, *h), b),
            Element::Check {
                x,
                y,
                size,
                bind: b,
                label,
                ..
            } => self.check_box((*x, *y, *size), b, label.as_deref()),
            Element::Choice {
                bind: b,
                options,
                size,
                ..
            } => self.choice(b, options, *size),
            Element::Image {
                x,
                y,
                w,
                h,
                bind: b,
                size_w_bind,
                size_h_bind,
                ..
            } => self.image(
                (*x, *y, *w, *h),
                b,
                (size_w_bind.as_deref(), size_h_bind.as_deref()),
            ),
            Element::Strokes {
                x,
                y,
                w,
                h,
                bind: b,
                ..
            } => self.boxed((*x, *y, *w, *h), b),
            Element::Qr {
                x,
                y,
                size,
                bind: b,
                ..
            } => self.boxed((*x, *y, *size, *size), b),
            Element::Pattern { .. } => self.pattern(e),
            Element::Rows {
                bind: b,
                y,
                height,
                max_rows,
                elements,
                only_on,
            } => {
                if only_on.is_some() {
                    return Err(format!(
                        "{}: rows には only_on を指定できません（中の要素に指定してください）。",
                        self.here
                    ));
                }
                self.rows(b, (*y, *height, *max_rows), elements)
            }
        }
    }

    /// The box lies on the page (or inside its row).
    fn inside(&self, x: f32, y: f32, w: f32, h: f32) -> Result<(), String> {
        let bottom = self.row_height.unwrap_or(self.ph);
        let fits = x >= 0.0
            && y >= 0.0
            && w >= 0.0
            && h >= 0.0
            && x + w <= self.pw + 0.01
            && y + h <= bottom + 0.01;
        if fits {
            Ok(())
        } else {
            Err(format!(
                "{}: 用紙（または行）の外にはみ出しています。",
                self.here
            ))
        }
    }

    fn bind(&self, b: &str) -> Result<(), String> {
        DataPath::parse(b)
            .map(|_| ())
            .map_err(|e| format!("{}: bind「{b}」: {e}", self.here))
    }

    fn sizes(&self, (size, min_size): (f32, f32)) -> Result<(), String> {
        if !(min_size > 0.0 && min_size <= size && size <= 72.0) {
            return Err(format!(
                "{}: 文字の大きさは 0 < min_size ≤ size ≤ 72 にしてください。",
                self.here
            ));
        }
        Ok(())
    }

    /// An element with a box and a bind: the box on the page, then the bind.
    fn boxed(&self, (x, y, w, h): (f32, f32, f32, f32), b: &str) -> Result<(), String> {
        self.inside(x, y, w, h)?;
        self.bind(b)
    }

    /// An `image`: its box and bind, and the size binds both or neither.
    fn image(
        &self,
        area: (f32, f32, f32, f32),
        b: &str,
        size: (Option<&str>, Option<&str>),
    ) -> Result<(), String> {
        self.boxed(area, b)?;
        match size {
            (None, None) => Ok(()),
            (Some(sw), Some(sh)) => {
                self.bind(sw)?;
                self.bind(sh)
            }
            _ => Err(format!(
                "{}: size_w_bind と size_h_bind は両方とも指定してください（どちらも指定しなければ枠に合わせて描きます）。",
                self.here
            )),
        }
    }

    fn rect(&self, (x, y, w, h): (f32, f32, f32, f32), fill: Option<f32>) -> Result<(), String> {
        self.inside(x, y, w, h)?;
        if fill.is_some_and(|g| !(0.0..=1.0).contains(&g)) {
            return Err(format!("{}: fill は 0〜1 で指定してください。", self.here));
        }
        Ok(())
    }

    fn text(
        &self,
        (x, y, w, h): (f32, f32, f32, f32),
        text: Option<&str>,
        b: Option<&str>,
        sizes: (f32, f32),
    ) -> Result<(), String> {
        self.inside(x, y, w, h)?;
        match (text, b) {
            (Some(_), None) => {}
            (None, Some(b)) => self.bind(b)?,
            _ => {
                return Err(format!(
                    "{}: text と bind のどちらか一方を指定してください。",
                    self.here
                ));
            }
        }
        self.sizes(sizes)
    }

    fn field(
        &self,
        (x, y, w, h): (f32, f32, f32, f32),
        b: &str,
        label_w: f32,
        sizes: (f32, f32),
    ) -> Result<(), String> {
        self.inside(x, y, w, h)?;
        self.bind(b)?;
        if label_w >= w {
            return Err(format!(
                "{}: label_w は w より小さくしてください。",
                self.here
            ));
        }
        self.sizes(sizes)
    }

    fn check_box(
        &self,
        (x, y, size): (f32, f32, f32),
        b: &str,
        label: Option<&str>,
    ) -> Result<(), String> {
        // The label's width as the renderer gives it.
        let label_w = label.map_or(0.0, |l| 1.0 + l.chars().count() as f32 * 3.6 + 2.0);
        self.inside(x, y, size + label_w, size)?;
        self.bind(b)
    }

    fn choice(&self, b: &str, options: &[ChoiceOption], size: f32) -> Result<(), String> {
        self.bind(b)?;
        if options.is_empty() {
            return Err(format!("{}: options がありません。", self.here));
        }
        for o in options {
            let w = o.label.chars().count() as f32 * size * 0.3528;
            self.inside(o.x, o.y, w, size * 0.3528)?;
        }
        Ok(())
    }

    /// A `pattern` (地紋): on the page (not in a row), its box on the page, its grey, and the text
    /// only a microtext has.
    fn pattern(&self, e: &Element) -> Result<(), String> {
        let Element::Pattern {
            style,
            grey,
            text,
            bind,
            ..
        } = e
        else {
            return Ok(());
        };
        if self.row_height.is_some() {
            return Err(format!("{}: pattern は rows の中に置けません。", self.here));
        }
        let (x, y, w, h) = pattern_box(e, self.pw, self.ph);
        self.inside(x, y, w, h)?;
        if w <= 0.0 || h <= 0.0 {
            return Err(format!(
                "{}: pattern の w と h は正の数にしてください。",
                self.here
            ));
        }
        if !PATTERN_GREY.contains(grey) {
            return Err(format!(
                "{}: pattern の grey は 0.80〜0.97 で指定してください。",
                self.here
            ));
        }
        match (style, text, bind) {
            (PatternStyle::Guilloche, None, None) => Ok(()),
            (PatternStyle::Guilloche, _, _) => Err(format!(
                "{}: text と bind は style = \"microtext\" の pattern にだけ指定できます。",
                self.here
            )),
            (PatternStyle::Microtext, Some(t), None) if !t.trim().is_empty() => Ok(()),
            (PatternStyle::Microtext, None, Some(b)) => self.bind(b),
            (PatternStyle::Microtext, _, _) => Err(format!(
                "{}: microtext の pattern には繰り返す文字 (text か bind のどちらか一方) が必要です。",
                self.here
            )),
        }
    }

    /// A `rows` block (not inside another): its bind, its rows on the page, then its elements inside a row.
    fn rows(
        &self,
        b: &str,
        (y, height, max_rows): (f32, f32, u32),
        elements: &[Element],
    ) -> Result<(), String> {
        if self.row_height.is_some() {
            return Err(format!("{}: rows の中に rows は置けません。", self.here));
        }
        self.bind(b)?;
        if max_rows == 0 || height <= 0.0 {
            return Err(format!(
                "{}: max_rows と height は正の数にしてください。",
                self.here
            ));
        }
        self.inside(0.0, y, self.pw, height * max_rows as f32)?;
        let at = format!("{}.elements", self.here);
        check_elements(elements, self.pw, self.ph, Some(height), &at)
    }
}
