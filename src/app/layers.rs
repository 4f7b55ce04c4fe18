//! The window's layers: each map layer together with its GPU copy, hit index, legend and watch
//! key, in one list in draw order, so that a layer and its companions cannot get out of step.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use geo::Rect;

use super::ui::LegendEntry;
use crate::gpu::GpuLayer;
use crate::map::camera::Camera;
use crate::map::hit::HitIndex;
use crate::map::layer::{union, LayerKind, MapLayer};
use crate::map::lod;

/// A map layer and what the window keeps beside it.
pub struct Layer {
    /// Stable id, for the selection and the article panel across reorders and reloads.
    pub uid: u64,
    pub data: MapLayer,
    pub gpu: GpuLayer,
    pub hit: HitIndex,
    pub legend: Vec<LegendEntry>,
    /// Simplified copies of a heavy layer, coarsest first (see `lod`).
    pub lods: Vec<lod::Level<GpuLayer>>,
    /// The file's watch key (canonical folder + name), for overlays from files.
    pub key: Option<PathBuf>,
    /// Why the last reload of its file failed; the previous version is shown meanwhile.
    pub reload_error: Option<String>,
}

/// Lets the label placer take the window's layers as they are.
impl Borrow<MapLayer> for Layer {
    fn borrow(&self) -> &MapLayer {
        &self.data
    }
}

impl Layer {
    /// Gives the simplified copies the full layer's visibility, opacity and highlights.
    pub fn sync_lods(&mut self) {
        for l in &mut self.lods {
            l.mesh.visible = self.gpu.visible;
            l.mesh.state = self.gpu.state;
        }
    }

    /// The copy to draw at `scale` physical px per km.
    pub fn drawn(&self, scale: f64) -> &GpuLayer {
        if lod::disabled() {
            return &self.gpu;
        }
        match lod::choose(self.lods.iter().map(|l| l.tolerance_km), scale) {
            Some(i) => &self.lods[i].mesh,
            None => &self.gpu,
        }
    }

    /// Drawn at all: visible and not fully transparent.
    pub fn shown(&self) -> bool {
        self.gpu.visible && self.gpu.state.opacity > 0.0
    }
}

/// The layers in draw order (seas first, places last).
#[derive(Default)]
pub struct Layers {
    list: Vec<Layer>,
    last_uid: u64,
}

impl Layers {
    /// A fresh id for a new layer.
    pub fn new_uid(&mut self) -> u64 {
        self.last_uid += 1;
        self.last_uid
    }

    pub fn as_slice(&self) -> &[Layer] {
        &self.list
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Layer> {
        self.list.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Layer> {
        self.list.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn get(&self, i: usize) -> Option<&Layer> {
        self.list.get(i)
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Layer> {
        self.list.get_mut(i)
    }

    pub fn index_of(&self, uid: u64) -> Option<usize> {
        self.list.iter().position(|l| l.uid == uid)
    }

    /// The layer loaded from the file with this watch key.
    pub fn index_of_key(&self, key: &Path) -> Option<usize> {
        self.list.iter().position(|l| l.key.as_deref() == Some(key))
    }

    /// Appends a base layer.
    pub fn push(&mut self, layer: Layer) {
        self.list.push(layer);
    }

    /// Puts the base map's layers (in draw order) in their places around the overlays: the
    /// places above them, everything else beneath.
    pub fn put_base(&mut self, base: Vec<Layer>) {
        let (top, below): (Vec<Layer>, Vec<Layer>) = base
            .into_iter()
            .partition(|l| l.data.kind == LayerKind::Places);
        let rest = std::mem::take(&mut self.list);
        self.list = below.into_iter().chain(rest).chain(top).collect();
    }

    /// Adds an overlay above every base layer but below the places; returns its index.
    pub fn insert_overlay(&mut self, layer: Layer) -> usize {
        let at = self
            .list
            .iter()
            .position(|l| l.data.kind == LayerKind::Places)
            .unwrap_or(self.list.len());
        self.list.insert(at, layer);
        at
    }

    pub fn remove(&mut self, i: usize) -> Layer {
        self.list.remove(i)
    }

    pub fn swap(&mut self, i: usize, j: usize) {
        self.list.swap(i, j);
    }

    /// Puts `layer` in place of the one at `i`; returns the old one.
    pub fn replace(&mut self, i: usize, layer: Layer) -> Layer {
        std::mem::replace(&mut self.list[i], layer)
    }

    pub fn overlays(&self) -> impl Iterator<Item = &Layer> {
        self.list
            .iter()
            .filter(|l| l.data.kind == LayerKind::Overlay)
    }

    /// World bounds of all overlays, if any has something drawable.
    pub fn overlay_bounds(&self) -> Option<Rect<f64>> {
        self.overlays().filter_map(|l| l.data.bounds).reduce(union)
    }

    /// The feature under a screen point (physical px), topmost shown layer first.
    pub fn pick(&self, camera: &Camera, p: [f64; 2]) -> Option<(usize, u32)> {
        let w = camera.screen_to_world(p);
        let logical_scale = camera.scale / camera.pixel_ratio as f64;
        for (i, l) in self.list.iter().enumerate().rev() {
            if !l.shown() || l.data.kind == LayerKind::Seas {
                continue;
            }
            if let Some(f) = l.hit.pick(&l.data, w, logical_scale) {
                return Some((i, f));
            }
        }
        None
    }
}
