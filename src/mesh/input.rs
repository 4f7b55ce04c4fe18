//! What the tessellator is given for each feature (shared by `tessellate` and the chunking
//! that groups features before they are tessellated).

use geo::Geometry;

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
