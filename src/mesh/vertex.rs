//! Plain-old-data types and constants shared with `shaders/map.wgsl`. The shader gets the
//! constants from here ([`shader_prelude`], prepended at pipeline creation), and a test checks
//! that the WGSL structs are as big as these. No wgpu here, so the tessellator (and the fuzz
//! targets) do not depend on it.

use bytemuck::{Pod, Zeroable};

/// One vertex, 16 bytes (memory and bandwidth are what a software rasterizer runs out of first):
/// world position (km), extrusion normal (strokes, fringes, markers; snorm16 over ±`NORMAL_RANGE`),
/// and the feature index with the primitive kind in its top byte.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Pod, Zeroable)]
pub struct MapVertex {
    pub pos: [f32; 2],
    normal: [i16; 2],
    feature_kind: u32,
}

/// Normals (lyon's mitred ones reach 3) are stored as snorm16 over ±4.
pub const NORMAL_RANGE: f32 = 4.0;
/// Feature indices must fit in 24 bits.
pub const MAX_FEATURES: u32 = 1 << 24;
/// The kind sits above the feature index in `MapVertex::feature_kind`.
pub const KIND_SHIFT: u32 = 24;
/// The primitive kind's bits of the kind byte; the bits above are flags.
pub const KIND_MASK: u32 = 0xf;

pub const KIND_FILL: u32 = 0;
pub const KIND_STROKE: u32 = 1;
pub const KIND_MARKER: u32 = 2;
/// A one-pixel strip outside a fill's edge whose alpha falls to zero: the fill's antialiasing
/// (there is no MSAA; a software rasterizer pays several times over for it).
pub const KIND_FRINGE: u32 = 3;
/// A marker symbol's triangle: its normal is the offset in the unit square, scaled by the
/// marker's radius in pixels.
pub const KIND_ICON: u32 = 4;
/// Or-ed into a stroke vertex's kind on lyon's negative side, so the shader knows how far across
/// the line a fragment is.
pub const STROKE_NEGATIVE_SIDE: u32 = 0x10;

/// WGSL declarations of the constants above (and [`FeatureStyle::HIDDEN`]), prepended to the
/// shaders' source so that Rust is their one source.
pub fn shader_prelude() -> String {
    let u32s = [
        ("FEATURE_MASK", MAX_FEATURES - 1),
        ("KIND_SHIFT", KIND_SHIFT),
        ("KIND_MASK", KIND_MASK),
        ("KIND_FILL", KIND_FILL),
        ("KIND_STROKE", KIND_STROKE),
        ("KIND_MARKER", KIND_MARKER),
        ("KIND_FRINGE", KIND_FRINGE),
        ("KIND_ICON", KIND_ICON),
        ("STROKE_NEGATIVE_SIDE", STROKE_NEGATIVE_SIDE),
        ("STYLE_HIDDEN", FeatureStyle::HIDDEN),
    ];
    let mut s = String::from("// Generated from src/mesh/vertex.rs (shader_prelude).\n");
    for (name, value) in u32s {
        s += &format!("const {name}: u32 = {value:#x}u;\n");
    }
    s += &format!("const NORMAL_RANGE: f32 = {NORMAL_RANGE:?};\n");
    s
}

impl MapVertex {
    /// `feature` must be under [`MAX_FEATURES`] and `kind` under 256 (the tessellator checks).
    pub fn new(pos: [f32; 2], normal: [f32; 2], feature: u32, kind: u32) -> Self {
        let pack = |n: f32| (n / NORMAL_RANGE * i16::MAX as f32).round() as i16;
        MapVertex {
            pos,
            normal: [pack(normal[0]), pack(normal[1])],
            feature_kind: (feature & (MAX_FEATURES - 1)) | (kind << KIND_SHIFT),
        }
    }
    pub fn normal(&self) -> [f32; 2] {
        self.normal
            .map(|n| n as f32 / i16::MAX as f32 * NORMAL_RANGE)
    }
    pub fn feature(&self) -> u32 {
        self.feature_kind & (MAX_FEATURES - 1)
    }
    pub fn kind(&self) -> u32 {
        self.feature_kind >> KIND_SHIFT
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
    /// `flags` holds the marker symbol's id + 1 from this bit up (the shaders ignore it).
    pub const ICON_SHIFT: u32 = 8;

    /// The marker symbol (`icons::id_of`), if any.
    pub fn icon(&self) -> Option<u16> {
        (self.flags >> Self::ICON_SHIFT)
            .checked_sub(1)
            .map(|id| id as u16)
    }

    pub fn set_icon(&mut self, id: Option<u16>) {
        self.flags &= (1 << Self::ICON_SHIFT) - 1;
        if let Some(id) = id {
            self.flags |= (id as u32 + 1) << Self::ICON_SHIFT;
        }
    }
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
    /// 1 for a highlight drawn over the map's image (where the feature is drawn already): its
    /// lit fills are a tint, so that what the map draws above them still shows.
    pub over: u32,
}
