//! The crate's `map` modules the fuzz targets need.

#[path = "../../src/map/load/mod.rs"]
pub mod load;
#[path = "../../src/map/style.rs"]
pub mod style;
