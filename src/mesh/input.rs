//! What the tessellator is given for each feature (shared by `tessellate` and the chunking
//! that groups features before they are tessellated).

use geo::{BoundingRect, Geometry, GeometryCollection, Rect};
use rayon::prelude::*;

/// What to make of one feature's geometry.
#[derive(Clone, Copy)]
pub struct TessInput<'a> {
    /// Projected geometry in world km.
    pub geometry: &'a Geometry<f64>,
    /// Index into the layer's feature style table.
    pub feature: u32,
    pub fill: bool,
    /// Outline polygons (lines are always stroked).
    pub outline: bool,
    /// The symbol drawn on its markers (`icons::id_of`).
    pub icon: Option<u16>,
}

/// Each input's box (world km), once for a streamed view: which features reach it, and what
/// the cover of a front-to-back layer hides, both ask it.
pub fn boxes(inputs: &[TessInput]) -> Vec<Option<Rect<f64>>> {
    inputs
        .par_iter()
        .map(|i| i.geometry.bounding_rect())
        .collect()
}

/// Nothing to draw: a feature a part of a layer leaves out.
static EMPTY: Geometry<f64> = Geometry::GeometryCollection(GeometryCollection(Vec::new()));

/// The inputs of a part of a layer: one for each of the whole layer's `whole` inputs, in the
/// same order, with the feature's geometry in `parts` (indexed by feature; empty where it is
/// `None`). Chunked as the whole layer (`tessellate::tessellate_as`), a part draws its
/// features in the whole layer's order.
pub fn part_inputs<'a>(
    whole: &[TessInput<'_>],
    parts: &'a [Option<Geometry<f64>>],
) -> Vec<TessInput<'a>> {
    whole
        .iter()
        .map(|i| TessInput {
            geometry: parts
                .get(i.feature as usize)
                .and_then(Option::as_ref)
                .unwrap_or(&EMPTY),
            feature: i.feature,
            fill: i.fill,
            outline: i.outline,
            icon: i.icon,
        })
        .collect()
}
