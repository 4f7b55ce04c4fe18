//! Plain-old-data types shared with `shaders/map.wgsl`; keep the two in step. No wgpu here, so
//! the tessellator (and the fuzz targets) do not depend on it.

use bytemuck::{Pod, Zeroable};

/// One vertex: world position (km), extrusion normal (strokes, markers), feature index, kind.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct MapVertex {
    pub pos: [f32; 2],
    pub normal: [f32; 2],
    pub feature: u32,
    pub kind: u32,
}

impl MapVertex {
    pub fn new(pos: [f32; 2], normal: [f32; 2], feature: u32, kind: u32) -> Self {
        MapVertex {
            pos,
            normal,
            feature,
            kind,
        }
    }
}

/// Per-feature colours (linear, straight alpha) and sizes (logical pixels), indexed by `MapVertex::feature`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct FeatureStyle {
    pub fill: [f32; 4],
    pub stroke: [f32; 4],
    pub marker: [f32; 4],
    pub stroke_width: f32,
    pub marker_radius: f32,
    /// Bit 0: hidden.
    pub flags: u32,
    /// Drawn only when the view has at least this many logical pixels per km (cities by size).
    pub min_scale: f32,
}

impl FeatureStyle {
    pub const HIDDEN: u32 = 1;
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct CameraUniform {
    pub world_to_clip: [[f32; 4]; 4],
    /// Clip units per physical pixel (2/width, 2/height).
    pub px_to_clip: [f32; 2],
    /// Physical pixels per logical pixel.
    pub pixel_ratio: f32,
    /// Logical pixels per km.
    pub scale: f32,
}

#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct LayerUniform {
    pub opacity: f32,
    /// Feature under the pointer, or `u32::MAX`.
    pub hovered: u32,
    /// Selected feature, or `u32::MAX`.
    pub selected: u32,
    pub _pad: u32,
}
