//! What the PDF writers share: object numbers handed out in order, and compression of streams.

use pdf_writer::Ref;

/// Hands out object numbers from 1 in order; the order is part of what makes the bytes the same for
/// the same input.
#[derive(Default)]
pub(super) struct Refs {
    last: i32,
}

impl Refs {
    pub(super) fn alloc(&mut self) -> Ref {
        self.last += 1;
        Ref::new(self.last)
    }
}

/// zlib compression (level 6) for FlateDecode streams.
pub(super) fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
