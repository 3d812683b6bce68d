//! The laid-out pages written as one PDF 1.7: fonts, images, backgrounds and patterns embedded once each, one
//! compressed content stream per page, no dates or random ids (same input, same bytes).

mod cid_fonts;
mod content;
mod images;
mod objects;
mod patterns;

use std::collections::BTreeSet;

use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref};

use self::content::Resources;
use self::objects::{Refs, deflate};
use super::layout::Layout;
use super::page::{Op, Page};
use crate::FormsError;
use crate::font::Fonts;

/// Writes the pages as a PDF, embedding what the layout used.
pub(super) fn write(
    fonts: &Fonts,
    layout: &Layout<'_>,
    pages: &[Page],
) -> Result<Vec<u8>, FormsError> {
    let mut refs = Refs::default();
    let catalog = refs.alloc();
    let tree = refs.alloc();
    let mut pdf = Pdf::new();

    let embedded = cid_fonts::embed(&mut pdf, &mut refs, fonts, layout)?;
    let image_refs = images::embed(&mut pdf, &mut refs, &layout.images);
    let mut background_refs = Vec::new();
    for bg in &layout.backgrounds {
        background_refs.push(bg.write(&mut pdf, &mut || refs.alloc())?);
    }
    let pattern_refs = patterns::embed(&mut pdf, &mut refs, &layout.patterns);
    let res = Resources {
        fonts: &embedded,
        backgrounds: &layout.backgrounds,
        image_xobjects: named(image_refs, "Im"),
        background_xobjects: named(background_refs, "Bg"),
        patterns: named(pattern_refs, "Gp"),
    };

    let mut page_refs = Vec::new();
    for page in pages {
        page_refs.push(write_page(&mut pdf, &mut refs, tree, page, &res));
    }
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_refs.iter().copied())
        .count(page_refs.len() as i32);
    Ok(pdf.finish())
}

/// Objects with the names `{prefix}0`, `{prefix}1`, …
fn named(refs: Vec<Ref>, prefix: &str) -> Vec<(Ref, String)> {
    refs.into_iter()
        .enumerate()
        .map(|(i, r)| (r, format!("{prefix}{i}")))
        .collect()
}

/// One page of the tree `parent`: its content stream, then the page with its resources (every font,
/// the images, backgrounds and patterns it shows).
fn write_page(
    pdf: &mut Pdf,
    refs: &mut Refs,
    parent: Ref,
    page: &Page,
    res: &Resources<'_>,
) -> Ref {
    let (page_ref, content_ref) = (refs.alloc(), refs.alloc());
    let content = deflate(&content::content(page, res));
    pdf.stream(content_ref, &content)
        .filter(Filter::FlateDecode);
    let mut p = pdf.page(page_ref);
    p.media_box(Rect::new(0.0, 0.0, page.w, page.h))
        .parent(parent)
        .contents(content_ref);
    let mut resources = p.resources();
    let mut f = resources.fonts();
    for (kind, (font_ref, _)) in res.fonts {
        f.pair(cid_fonts::resource_name(*kind), *font_ref);
    }
    f.finish();
    let used_images: BTreeSet<usize> = page
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Image { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    let used_backgrounds: BTreeSet<usize> = page
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Background { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    if !used_images.is_empty() || !used_backgrounds.is_empty() {
        let mut xo = resources.x_objects();
        for i in used_images {
            let (r, name) = &res.image_xobjects[i];
            xo.pair(Name(name.as_bytes()), *r);
        }
        for i in used_backgrounds {
            let (r, name) = &res.background_xobjects[i];
            xo.pair(Name(name.as_bytes()), *r);
        }
        xo.finish();
    }
    let used_patterns: BTreeSet<usize> = page
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Pattern { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    if !used_patterns.is_empty() {
        let mut pt = resources.patterns();
        for i in used_patterns {
            let (r, name) = &res.patterns[i];
            pt.pair(Name(name.as_bytes()), *r);
        }
        pt.finish();
    }
    resources.finish();
    p.finish();
    page_ref
}
