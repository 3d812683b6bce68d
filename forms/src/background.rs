//! A page of an existing PDF (the city's official form) as the background of a template: the page's
//! content and every object its resources reach are copied into the output as one Form XObject, drawn
//! under the template's own elements and scaled to the page.

use std::collections::{HashMap, VecDeque};

use lopdf::{Dictionary, Document, Object, ObjectId};
use pdf_writer::{Finish, Name, Pdf, Rect, Ref, Str};

use crate::FormsError;

/// A loaded background page.
#[derive(Debug, Clone)]
pub struct Background {
    doc: Document,
    content: Vec<u8>,
    resources: Dictionary,
    bbox: [f32; 4],
}

fn bad(reason: impl Into<String>) -> FormsError {
    FormsError::Template {
        line: 0,
        column: 0,
        reason: reason.into(),
    }
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

impl Background {
    /// Page `page` (1-based) of the PDF in `bytes`.
    pub fn load(bytes: &[u8], page: u32) -> Result<Background, FormsError> {
        let doc = Document::load_mem(bytes)
            .map_err(|e| bad(format!("背景のPDFを読めません（{e}）。")))?;
        if doc.is_encrypted() {
            return Err(bad("暗号化されたPDFは背景に使えません。"));
        }
        let page_id = *doc
            .get_pages()
            .get(&page)
            .ok_or_else(|| bad(format!("背景のPDFに {page} ページ目がありません。")))?;
        let content = doc
            .get_page_content_with_limit(page_id, 64 << 20)
            .map_err(|e| bad(format!("背景のページの内容を読めません（{e}）。")))?;
        let (direct, ids) = doc
            .get_page_resources(page_id)
            .map_err(|e| bad(format!("背景のページの資源を読めません（{e}）。")))?;
        let resources = match direct {
            Some(d) => d.clone(),
            None => ids
                .first()
                .and_then(|id| doc.get_dictionary(*id).ok())
                .cloned()
                .unwrap_or_default(),
        };
        // MediaBox, inherited from the page tree if need be.
        let mut node = doc.get_dictionary(page_id).ok();
        let mut bbox = None;
        for _ in 0..32 {
            let Some(n) = node else { break };
            if let Ok(Object::Array(a)) = n.get(b"MediaBox").map(|o| match o {
                Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
                o => o,
            }) {
                let v: Vec<f32> = a.iter().filter_map(number).collect();
                if v.len() == 4 {
                    bbox = Some([v[0], v[1], v[2], v[3]]);
                    break;
                }
            }
            node = n
                .get(b"Parent")
                .and_then(Object::as_reference)
                .ok()
                .and_then(|id| doc.get_dictionary(id).ok());
        }
        let bbox = bbox.ok_or_else(|| bad("背景のページの大きさ (MediaBox) がありません。"))?;
        Ok(Background {
            doc,
            content,
            resources,
            bbox,
        })
    }

    /// Writes the page as a Form XObject into `pdf` and returns it; `alloc` gives fresh object ids.
    pub(crate) fn write(
        &self,
        pdf: &mut Pdf,
        alloc: &mut dyn FnMut() -> Ref,
    ) -> Result<Ref, FormsError> {
        let mut map: HashMap<ObjectId, Ref> = HashMap::new();
        let mut queue: VecDeque<ObjectId> = VecDeque::new();
        let form = alloc();
        let content = miniz_oxide::deflate::compress_to_vec_zlib(&self.content, 6);
        {
            let mut x = pdf.form_xobject(form, &content);
            x.filter(pdf_writer::Filter::FlateDecode);
            let [x0, y0, x1, y1] = self.bbox;
            x.bbox(Rect::new(x0, y0, x1, y1));
            let mut res = x.insert(Name(b"Resources")).dict();
            for (k, v) in self.resources.iter() {
                write_value(res.insert(Name(k)), v, &mut map, &mut queue, alloc);
            }
            res.finish();
        }
        // Every object the resources reach, each once, with new ids.
        let mut written = std::collections::HashSet::new();
        while let Some(id) = queue.pop_front() {
            if !written.insert(id) {
                continue;
            }
            let target = map[&id];
            let obj = self
                .doc
                .get_object(id)
                .map_err(|e| bad(format!("背景のPDFの部品を読めません（{e}）。")))?;
            match obj {
                Object::Stream(s) => {
                    let mut st = pdf.stream(target, &s.content);
                    for (k, v) in s.dict.iter() {
                        if k.as_slice() == b"Length" {
                            continue; // pdf-writer writes the length
                        }
                        write_value(st.insert(Name(k)), v, &mut map, &mut queue, alloc);
                    }
                }
                other => {
                    write_value(pdf.indirect(target), other, &mut map, &mut queue, alloc);
                }
            }
        }
        Ok(form)
    }

    /// The page's size in points.
    pub fn size(&self) -> (f32, f32) {
        (self.bbox[2] - self.bbox[0], self.bbox[3] - self.bbox[1])
    }

    pub fn origin(&self) -> (f32, f32) {
        (self.bbox[0], self.bbox[1])
    }
}

fn write_value(
    obj: pdf_writer::Obj<'_>,
    v: &Object,
    map: &mut HashMap<ObjectId, Ref>,
    queue: &mut VecDeque<ObjectId>,
    alloc: &mut dyn FnMut() -> Ref,
) {
    match v {
        Object::Null => obj.primitive(pdf_writer::Null),
        Object::Boolean(b) => obj.primitive(*b),
        Object::Integer(i) => obj.primitive(i32::try_from(*i).unwrap_or(i32::MAX)),
        Object::Real(r) => obj.primitive(*r),
        Object::Name(n) => obj.primitive(Name(n)),
        Object::String(s, _) => obj.primitive(Str(s)),
        Object::Array(items) => {
            let mut a = obj.array();
            for item in items {
                write_value(a.push(), item, map, queue, alloc);
            }
        }
        Object::Dictionary(d) => {
            let mut out = obj.dict();
            for (k, item) in d.iter() {
                write_value(out.insert(Name(k)), item, map, queue, alloc);
            }
        }
        Object::Reference(id) => {
            let r = *map.entry(*id).or_insert_with(|| {
                queue.push_back(*id);
                alloc()
            });
            obj.primitive(r);
        }
        // A stream can only be an indirect object; inline it as a reference would be invalid, so
        // write null (the PDF spec forbids direct streams anyway).
        Object::Stream(_) => obj.primitive(pdf_writer::Null),
    }
}

/// The number of pages of a PDF a background may be taken from: readable, not encrypted, and its
/// first page usable as a background.
pub fn page_count(bytes: &[u8]) -> Result<u32, FormsError> {
    Background::load(bytes, 1)?;
    let doc =
        Document::load_mem(bytes).map_err(|e| bad(format!("背景のPDFを読めません（{e}）。")))?;
    Ok(doc.get_pages().len() as u32)
}
