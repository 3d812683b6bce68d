//! The faces a job used, embedded as subsets: a Type 0 font with an Identity-H CIDFontType2 descendant,
//! its widths, descriptor, compressed TrueType subset and a ToUnicode map per face.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use super::objects::{Refs, deflate};
use crate::FormsError;
use crate::font::{FontKind, Fonts};
use crate::render::layout::{Face, Layout};

/// Per face embedded: the Type 0 font and the map from original glyph ids to the subset's.
pub(super) type Embedded = BTreeMap<FontKind, (Ref, GlyphRemapper)>;

/// The name a page's resources give a face.
pub(super) fn resource_name(kind: FontKind) -> Name<'static> {
    match kind {
        FontKind::Mincho => Name(b"Fm"),
        FontKind::Gothic => Name(b"Fg"),
    }
}

const SYSTEM: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

/// A stable six-letter subset tag derived from the glyphs used (FNV-1a), as PDF wants `ABCDEF+Name`.
fn subset_tag(gids: &[u16]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for g in gids {
        for b in g.to_be_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

/// Embeds every face the job used.
pub(super) fn embed(
    pdf: &mut Pdf,
    refs: &mut Refs,
    fonts: &Fonts,
    layout: &Layout<'_>,
) -> Result<Embedded, FormsError> {
    let mut embedded = BTreeMap::new();
    for (kind, used) in &layout.used {
        let font = embed_face(pdf, refs, fonts, (*kind, layout.face(*kind)), used)?;
        embedded.insert(*kind, font);
    }
    Ok(embedded)
}

/// Subsets one face to the glyphs used (original id → the text each stands for) and writes its objects.
fn embed_face(
    pdf: &mut Pdf,
    refs: &mut Refs,
    fonts: &Fonts,
    (kind, face): (FontKind, &Face<'_>),
    used: &BTreeMap<u16, String>,
) -> Result<(Ref, GlyphRemapper), FormsError> {
    let gids: Vec<u16> = used.keys().copied().collect();
    let remapper = GlyphRemapper::new_from_glyphs_sorted(&gids);
    let file = fonts.get(kind);
    let subset = subsetter::subset(&file.data, 0, &remapper)
        .map_err(|e| FormsError::Font(format!("subsetting {}: {e}", kind.postscript_name())))?;
    let base = format!("{}+{}", subset_tag(&gids), kind.postscript_name());
    let (type0, cid, descriptor, file_ref, cmap_ref) = (
        refs.alloc(),
        refs.alloc(),
        refs.alloc(),
        refs.alloc(),
        refs.alloc(),
    );
    pdf.type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_ref);
    let widths = widths(face, used, &remapper);
    write_cid_font(pdf, (cid, descriptor), &base, &widths);
    write_descriptor(pdf, (descriptor, file_ref), &base, kind, face);
    let packed = deflate(&subset);
    pdf.stream(file_ref, &packed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), subset.len() as i32);
    write_cmap(pdf, cmap_ref, used, &remapper);
    Ok((type0, remapper))
}

/// Advance widths (in 1/1000 em) of the glyphs used, by subset glyph id.
fn widths(
    face: &Face<'_>,
    used: &BTreeMap<u16, String>,
    remapper: &GlyphRemapper,
) -> Vec<(u16, f32)> {
    let mut widths: Vec<(u16, f32)> = used
        .keys()
        .filter_map(|old| {
            let new = remapper.get(*old)?;
            let adv = face
                .face
                .glyph_hor_advance(ttf_parser::GlyphId(*old))
                .unwrap_or(0);
            Some((new, f32::from(adv) * 1000.0 / face.upem))
        })
        .collect();
    widths.sort_by_key(|(g, _)| *g);
    widths
}

/// The CIDFontType2 descendant `cid`, described by `descriptor`.
fn write_cid_font(pdf: &mut Pdf, (cid, descriptor): (Ref, Ref), base: &str, widths: &[(u16, f32)]) {
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(SYSTEM)
        .font_descriptor(descriptor)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut w = c.widths();
    for (g, width) in widths {
        w.consecutive(*g, [*width]);
    }
    w.finish();
}

/// The font descriptor `descriptor` with the face's metrics, its font file in `file_ref`.
fn write_descriptor(
    pdf: &mut Pdf,
    (descriptor, file_ref): (Ref, Ref),
    base: &str,
    kind: FontKind,
    face: &Face<'_>,
) {
    let bbox = face.face.global_bounding_box();
    let scale = |v: i16| f32::from(v) * 1000.0 / face.upem;
    let mut flags = FontFlags::SYMBOLIC;
    if kind == FontKind::Mincho {
        flags |= FontFlags::SERIF;
    }
    pdf.font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(face.face.ascender()))
        .descent(scale(face.face.descender()))
        .cap_height(scale(
            face.face.capital_height().unwrap_or(face.face.ascender()),
        ))
        .stem_v(80.0)
        .font_file2(file_ref);
}

/// The ToUnicode map: subset glyph id → the text it stands for (a variation sequence maps back to base
/// character + selector).
fn write_cmap(
    pdf: &mut Pdf,
    cmap_ref: Ref,
    used: &BTreeMap<u16, String>,
    remapper: &GlyphRemapper,
) {
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM);
    for (old, text) in used {
        if let Some(new) = remapper.get(*old) {
            cmap.pair_with_multiple(new, text.chars());
        }
    }
    let cmap_bytes = cmap.finish();
    pdf.cmap(cmap_ref, cmap_bytes.as_slice());
}
