//! Projected geometry → triangles: the vertex format and constants shared with the shaders,
//! lyon tessellation, chunking for culling, simplification and fill fringes. Architecture
//! invariant: knows nothing of wgpu, the GPU module or files.

pub mod chunks;
pub mod cover;
pub mod fringe;
pub mod icons;
pub mod input;
pub mod order;
pub mod simplify;
pub mod stream;
pub mod tessellate;
pub mod vertex;
