//! borderlens's own modules, compiled from ../src without the GPU and window crates. The module
//! tree mirrors the crate's (`map`, `mesh`, `article`), so the sources compile unchanged: the
//! loader and the tessellator import nothing from `gpu`, `app` or `commands`.
#![allow(dead_code)]

#[path = "../../src/article/mod.rs"]
pub mod article;

// In files of their own: a `#[path]` in an inline module resolves through a folder
// (src/map/, src/mesh/) that does not exist here, which fails.
pub mod map;
pub mod mesh;

/// How `tessellate_rings` turns its bytes into a feature; the regression tests include this
/// file too, so that a kept input means the same there.
pub mod rings;

pub use map::load;
pub use mesh::tessellate;
