//! The state of laying out one print job: the two faces and shaping with fallback from one to the other,
//! the glyphs used (for subsetting and ToUnicode), the problems found, and the images and backgrounds to
//! embed once each.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::page::Op;
use super::problem::Problem;
use crate::FormsError;
use crate::background::Background;
use crate::font::{FontKind, Fonts};
use crate::image::Raster;

/// Line (or column) pitch as a multiple of the font size.
pub(super) const LINE_GAP: f32 = 1.15;

/// One glyph placed in a run: the face and the glyph id in the original font.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    pub(super) font: FontKind,
    pub(super) id: u16,
    /// Advance as a fraction of the font size.
    pub(super) advance: f32,
    pub(super) text: String,
}

/// A parsed face with the metrics layout needs.
pub(super) struct Face<'a> {
    pub(super) face: ttf_parser::Face<'a>,
    pub(super) upem: f32,
    /// Ascender as a fraction of the font size.
    pub(super) ascent: f32,
}

impl<'a> Face<'a> {
    fn load(fonts: &'a Fonts, kind: FontKind) -> Result<Face<'a>, FormsError> {
        let face = fonts.get(kind).face()?;
        let upem = f32::from(face.units_per_em());
        let ascent = f32::from(face.ascender()) / upem;
        Ok(Face { face, upem, ascent })
    }
}

pub(super) struct Layout<'a> {
    faces: [(FontKind, Face<'a>); 2],
    /// Per face: original glyph id → the text it stands for (for ToUnicode).
    pub(super) used: BTreeMap<FontKind, BTreeMap<u16, String>>,
    pub(super) problems: Vec<Problem>,
    /// Raster images of the job, each embedded once.
    pub(super) images: Vec<Raster>,
    /// Background pages of the job, each embedded once.
    pub(super) backgrounds: Vec<Arc<Background>>,
    /// The grey levels of the job's guilloche patterns, each written once.
    pub(super) patterns: Vec<f32>,
    /// A preview: elements with a problem get a red frame ([`super::mark`]).
    pub(super) mark_problems: bool,
    /// Preview: draw a millimetre grid with its figures over every page.
    pub(super) grid: bool,
}

/// The characters of `text`, each with the variation selectors that follow it.
pub(super) fn pieces(text: &str) -> Vec<String> {
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

/// Width in points of a line of glyphs at `size`.
pub(super) fn line_width(glyphs: &[Placed], size: f32) -> f32 {
    glyphs.iter().map(|g| g.advance).sum::<f32>() * size
}

impl<'a> Layout<'a> {
    /// An empty job with both faces parsed.
    pub(super) fn new(fonts: &'a Fonts) -> Result<Layout<'a>, FormsError> {
        Ok(Layout {
            faces: [
                (FontKind::Mincho, Face::load(fonts, FontKind::Mincho)?),
                (FontKind::Gothic, Face::load(fonts, FontKind::Gothic)?),
            ],
            used: BTreeMap::new(),
            problems: Vec::new(),
            images: Vec::new(),
            backgrounds: Vec::new(),
            patterns: Vec::new(),
            mark_problems: false,
            grid: false,
        })
    }

    pub(super) fn face(&self, kind: FontKind) -> &Face<'a> {
        &self.faces[if kind == FontKind::Mincho { 0 } else { 1 }].1
    }

    /// Glyphs for `text` in `primary`, falling back to the other face per character; characters neither
    /// face has are returned as missing.
    pub(super) fn shape(&self, primary: FontKind, text: &str) -> (Vec<Placed>, String) {
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
                    out.extend(self.blank(primary, piece));
                }
            }
        }
        (out, missing)
    }

    /// A blank of one em in `font` standing for `piece` (a character no face has): it keeps the layout.
    fn blank(&self, font: FontKind, piece: String) -> Option<Placed> {
        let f = self.face(font);
        crate::font::shape_piece(&f.face, "\u{3000}").map(|g| Placed {
            font,
            id: g.id,
            advance: f32::from(g.advance) / f.upem,
            text: piece,
        })
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
    pub(super) fn emit_line(
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

    /// The index of `raster` among the job's images, added the first time it is used.
    pub(super) fn image_index(&mut self, raster: Raster) -> usize {
        match self.images.iter().position(|r| *r == raster) {
            Some(i) => i,
            None => {
                self.images.push(raster);
                self.images.len() - 1
            }
        }
    }

    /// The index of `background` among the job's backgrounds, added the first time it is used.
    pub(super) fn background_index(&mut self, background: &Arc<Background>) -> usize {
        match self
            .backgrounds
            .iter()
            .position(|b| Arc::ptr_eq(b, background))
        {
            Some(i) => i,
            None => {
                self.backgrounds.push(background.clone());
                self.backgrounds.len() - 1
            }
        }
    }

    /// The index of the guilloche pattern in `grey` among the job's patterns, added the first time it
    /// is used.
    pub(super) fn pattern_index(&mut self, grey: f32) -> usize {
        match self
            .patterns
            .iter()
            .position(|g| g.to_bits() == grey.to_bits())
        {
            Some(i) => i,
            None => {
                self.patterns.push(grey);
                self.patterns.len() - 1
            }
        }
    }
}
