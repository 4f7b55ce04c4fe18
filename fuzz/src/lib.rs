//! borderlens's own modules, compiled from ../src without the GPU and window crates.
#![allow(dead_code)]

#[path = "../../src/article/mod.rs"]
pub mod article;
#[path = "../../src/load.rs"]
pub mod load;
#[path = "../../src/style.rs"]
pub mod style;
#[path = "../../src/tessellate.rs"]
pub mod tessellate;

#[path = "../../src/gpu/vertex.rs"]
pub mod vertex;

pub mod gpu {
    pub use super::vertex;
}
