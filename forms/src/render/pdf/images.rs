//! The job's raster images as image XObjects: JPEG as it came (DCTDecode), PNG samples compressed, with
//! a soft mask for PNG transparency.

use pdf_writer::{Filter, Finish, Name, Pdf, Ref};

use super::objects::{Refs, deflate};
use crate::image::{Raster, RasterData};

/// Embeds every image of the job, returning their XObjects in the same order.
pub(super) fn embed(pdf: &mut Pdf, refs: &mut Refs, images: &[Raster]) -> Vec<Ref> {
    let mut image_refs = Vec::new();
    for raster in images {
        let id = refs.alloc();
        image_refs.push(id);
        match &raster.data {
            RasterData::Jpeg { bytes, components } => {
                write_jpeg(pdf, id, raster, bytes, *components)
            }
            RasterData::Samples {
                rgb,
                samples,
                alpha,
            } => {
                // The mask's object number comes right after the image's.
                let mask = alpha.as_ref().map(|a| (refs.alloc(), deflate(a)));
                write_samples(pdf, id, raster, (*rgb, samples), mask);
            }
        }
    }
    image_refs
}

/// A JPEG, embedded as it is.
fn write_jpeg(pdf: &mut Pdf, id: Ref, raster: &Raster, bytes: &[u8], components: u8) {
    let mut x = pdf.image_xobject(id, bytes);
    x.filter(Filter::DctDecode);
    x.width(raster.width as i32)
        .height(raster.height as i32)
        .bits_per_component(8)
        .color_space_name(match components {
            1 => Name(b"DeviceGray"),
            4 => Name(b"DeviceCMYK"),
            _ => Name(b"DeviceRGB"),
        });
    if components == 4 {
        // Adobe writes CMYK JPEGs inverted.
        x.decode([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]);
    }
}

/// Decoded samples (RGB or grey), with their alpha as a soft mask (its object and compressed data).
fn write_samples(
    pdf: &mut Pdf,
    id: Ref,
    raster: &Raster,
    (rgb, samples): (bool, &[u8]),
    mask: Option<(Ref, Vec<u8>)>,
) {
    let packed = deflate(samples);
    let mut x = pdf.image_xobject(id, &packed);
    x.filter(Filter::FlateDecode);
    x.width(raster.width as i32)
        .height(raster.height as i32)
        .bits_per_component(8)
        .color_space_name(if rgb {
            Name(b"DeviceRGB")
        } else {
            Name(b"DeviceGray")
        });
    if let Some((mask_id, _)) = &mask {
        x.s_mask(*mask_id);
    }
    x.finish();
    if let Some((mask_id, data)) = &mask {
        let mut m = pdf.image_xobject(*mask_id, data);
        m.filter(Filter::FlateDecode);
        m.width(raster.width as i32)
            .height(raster.height as i32)
            .bits_per_component(8)
            .color_space_name(Name(b"DeviceGray"));
    }
}
