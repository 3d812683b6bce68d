//! The two font faces forms use, and mapping text to their glyphs.
//!
//! IPAmj明朝 (Debian `fonts-ipamj-mincho`) carries the MJ character set, including characters outside the
//! BMP (𠮷) and ideographic variation sequences, so names and addresses print as registered. IPAex ゴシック
//! (`fonts-ipaexfont-gothic`) is for labels.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::FormsError;

/// Which face an element uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FontKind {
    /// IPAmj明朝: names, addresses, anything a resident's record holds.
    Mincho,
    /// IPAex ゴシック: labels and headings.
    #[default]
    Gothic,
}

impl FontKind {
    pub const ALL: [FontKind; 2] = [FontKind::Mincho, FontKind::Gothic];

    /// PostScript name written into the PDF.
    pub fn postscript_name(self) -> &'static str {
        match self {
            FontKind::Mincho => "IPAmjMincho",
            FontKind::Gothic => "IPAexGothic",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            FontKind::Mincho => "ipamjm.ttf",
            FontKind::Gothic => "ipaexg.ttf",
        }
    }

    /// Where Debian installs the face.
    fn debian_path(self) -> &'static str {
        match self {
            FontKind::Mincho => "/usr/share/fonts/truetype/ipamj/ipamjm.ttf",
            FontKind::Gothic => "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        }
    }

    fn debian_package(self) -> &'static str {
        match self {
            FontKind::Mincho => "fonts-ipamj-mincho",
            FontKind::Gothic => "fonts-ipaexfont-gothic",
        }
    }
}

/// One loaded face: the file's bytes (parsed on use; parsing reads only the table directory).
pub struct FontFile {
    pub kind: FontKind,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for FontFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontFile")
            .field("kind", &self.kind)
            .field("bytes", &self.data.len())
            .finish()
    }
}

impl FontFile {
    pub fn face(&self) -> Result<ttf_parser::Face<'_>, FormsError> {
        ttf_parser::Face::parse(&self.data, 0)
            .map_err(|e| FormsError::Font(format!("{} cannot be read: {e}", self.kind.file_name())))
    }
}

/// Both faces, loaded once and shared by every render.
#[derive(Debug)]
pub struct Fonts {
    pub mincho: FontFile,
    pub gothic: FontFile,
}

impl Fonts {
    /// Loads the faces from `dir` (both file names in one folder) or, without one, from
    /// `MADOGUCHI_FONT_DIR` or Debian's locations.
    pub fn load(dir: Option<&Path>) -> Result<Fonts, FormsError> {
        let env_dir = std::env::var_os("MADOGUCHI_FONT_DIR").map(PathBuf::from);
        let dir = dir.map(Path::to_path_buf).or(env_dir);
        let read = |kind: FontKind| {
            let path = dir.as_ref().map_or_else(
                || PathBuf::from(kind.debian_path()),
                |d| d.join(kind.file_name()),
            );
            let data = std::fs::read(&path).map_err(|e| {
                FormsError::Font(format!(
                    "{} ({e}); install the Debian package {} or set MADOGUCHI_FONT_DIR",
                    path.display(),
                    kind.debian_package()
                ))
            })?;
            let file = FontFile { kind, data };
            file.face()?;
            Ok::<_, FormsError>(file)
        };
        Ok(Fonts {
            mincho: read(FontKind::Mincho)?,
            gothic: read(FontKind::Gothic)?,
        })
    }

    pub fn get(&self, kind: FontKind) -> &FontFile {
        match kind {
            FontKind::Mincho => &self.mincho,
            FontKind::Gothic => &self.gothic,
        }
    }
}

/// One glyph of shaped text: the glyph id in the original face, its advance in font units, and the text
/// it stands for (a character, or a character with its variation selector).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: u16,
    pub text: String,
}

fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

/// The glyph of one character, optionally followed by a variation selector (an ideographic variation
/// sequence picks the MJ variant glyph; without one in the face, the base glyph). `None` when the face
/// lacks the character.
pub fn shape_piece(face: &ttf_parser::Face<'_>, piece: &str) -> Option<Glyph> {
    let mut chars = piece.chars();
    let c = chars.next()?;
    let selector = chars.next().filter(|v| is_variation_selector(*v));
    let id = selector
        .and_then(|vs| face.glyph_variation_index(c, vs))
        .or_else(|| face.glyph_index(c))?;
    Some(Glyph {
        id: id.0,
        advance: face.glyph_hor_advance(id).unwrap_or(0),
        text: piece.to_owned(),
    })
}
