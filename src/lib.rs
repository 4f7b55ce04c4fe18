//! borderlens: a desktop map of the South Caucasus with the regions, borders and places that a
//! news article mentions drawn over it.
//!
//! Data flows one way: `load` (GeoJSON → features + style) → `project` (lon/lat → km) →
//! `tessellate` (lyon) → `gpu` (upload, draw), assembled per layer by `layer`; beside it
//! `article` (text → entities) → overlay. `camera` is the view; `app` is the window.

pub mod app;
pub mod article;
pub mod article_cmd;
pub mod article_panel;
pub mod basemap;
pub mod camera;
pub mod cli;
pub mod commands;
pub mod eval;
pub mod gpu;
pub mod labels;
pub mod layer;
pub mod load;
pub mod map;
pub mod overlay;
pub mod project;
pub mod render;
pub mod style;
pub mod synth;
pub mod tessellate;
