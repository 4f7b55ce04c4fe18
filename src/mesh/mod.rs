//! Projected geometry → triangles: the vertex format shared with the shaders, and lyon
//! tessellation. Architecture invariant: knows nothing of wgpu, the GPU module or files.

pub mod tessellate;
pub mod vertex;
