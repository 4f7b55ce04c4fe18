//! borderlens's own modules, compiled from ../src without the GPU and window crates. The module
//! tree mirrors the crate's (`map`, `mesh`, `article`), so the sources compile unchanged: the
//! loader and the tessellator import nothing from `gpu`, `app` or `commands`.
#![allow(dead_code)]

#[path = "../../src/article/mod.rs"]
pub mod article;

pub mod map {
    #[path = "../../../src/map/load.rs"]
    pub mod load;
    #[path = "../../../src/map/style.rs"]
    pub mod style;
}

pub mod mesh {
    #[path = "../../../src/mesh/chunks.rs"]
    pub mod chunks;
    #[path = "../../../src/mesh/fringe.rs"]
    pub mod fringe;
    #[path = "../../../src/mesh/simplify.rs"]
    pub mod simplify;
    #[path = "../../../src/mesh/tessellate.rs"]
    pub mod tessellate;
    #[path = "../../../src/mesh/vertex.rs"]
    pub mod vertex;
}

/// How `tessellate_rings` turns its bytes into a feature; the regression tests include this
/// file too, so that a kept input means the same there.
pub mod rings;

pub use map::load;
pub use mesh::tessellate;
