//! borderlens's own modules, compiled from ../src without the GPU and window crates. The module
//! tree mirrors the crate's (`map`, `mesh`, `article`), so the sources compile unchanged: the
//! loader and the tessellator import nothing from `gpu`, `app` or `commands`.
#![allow(dead_code)]

#[path = "../../src/article/mod.rs"]
pub mod article;

pub mod map {
    #[path = "../../../src/map/load/mod.rs"]
    pub mod load;
    #[path = "../../../src/map/style.rs"]
    pub mod style;
}

pub mod mesh {
    #[path = "../../../src/mesh/tessellate.rs"]
    pub mod tessellate;
    #[path = "../../../src/mesh/vertex.rs"]
    pub mod vertex;
}

pub use map::load;
pub use mesh::tessellate;
