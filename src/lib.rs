//! borderlens: a desktop map of the South Caucasus with the regions, borders and places that a
//! news article mentions drawn over it.
//!
//! Data flows one way (see ARCHITECTURE.md): `map` loads files and articles into projected,
//! styled layers, calling `mesh` to tessellate them; `gpu` uploads and draws meshes; `app` is the
//! window; `commands` drives each command. Beside it, `article` turns text into entities.
//! Imports only go down that list: `commands` → `app` → `gpu` → `map` → `mesh`, `article`.

pub mod app;
pub mod archive;
pub mod article;
pub mod cli;
pub mod commands;
pub mod figure;
pub mod gpu;
pub mod hooks;
pub mod map;
pub mod mesh;
pub mod rect;
