//! The window's layers: each map layer together with its GPU copy, hit index, legend and watch
//! key, in one list in draw order, so that a layer and its companions cannot get out of step.

use std::borrow::Borrow;
use std::path::{Path, PathBuf};

use geo::Rect;

use super::levels::Asked;
use super::ui::LegendEntry;
use crate::gpu::{GpuLayer, Uploader};
use crate::map::camera::Camera;
use crate::map::hit::HitIndex;
use crate::map::layer::{tess_input, union, LayerKind, MapLayer};
use crate::map::lod;
use crate::rect::RectExt;

/// What a layer draws at a scale.
pub struct Drawn<'a> {
    pub mesh: &'a GpuLayer,
    /// Which of the layer's levels (`None`: its full mesh).
    pub level: Option<usize>,
    /// Within the level-of-detail error at this scale (not a stand-in).
    pub exact: bool,
    /// The level this view needs, not made nor asked for yet.
    pub missing: Option<lod::Want>,
    /// The streamed level (not kept, see `lod::HOLD_VERTICES`) whose image this view needs:
    /// until it is in, `mesh` is a coarser level standing in.
    pub image_of: Option<usize>,
}

impl Drawn<'_> {
    /// The level whose image serves this view: a streamed one it needs, or the exact level.
    fn image_level(&self) -> Option<usize> {
        self.image_of.or(self.level.filter(|_| self.exact))
    }
}

/// A map layer and what the window keeps beside it.
pub struct Layer {
    /// Stable id, for the selection and the article panel across reorders and reloads.
    pub uid: u64,
    pub data: MapLayer,
    pub gpu: GpuLayer,
    pub hit: HitIndex,
    pub legend: Vec<LegendEntry>,
    /// A heavy layer's levels of detail made so far, coarsest first (tolerance 0: full
    /// detail; see `lod`); its `gpu` then holds no mesh, only the state. Empty for light layers.
    pub lods: Vec<lod::Level<GpuLayer>>,
    /// Its levels all draw the same (points only, `lod::simplifies`): whichever covers the
    /// view is exact at every scale, and no other is asked for.
    pub levels_alike: bool,
    /// Levels asked of the loading threads and not back yet.
    pub lods_asked: Vec<Asked>,
    /// Levels asked for and then no longer wanted (the view had moved on): stopped before
    /// they were made, or dropped when they came.
    pub lods_cancelled: u64,
    /// Levels that could not be made: the nearest made is the best there is, and counts as
    /// exact (the window would otherwise never come to rest).
    pub lods_failed: Vec<lod::Want>,
    /// A heavy layer drawn into an image at a view's scale (`gpu::raster`): drawn instead of
    /// its level while views keep that scale, a whole-pixel offset and the level's state.
    pub image: Option<GpuLayer>,
    /// The image asked of a loading thread last (its key and camera), not asked again.
    pub image_asked: Option<u64>,
    /// That image is being made: the camera it is drawn with, the sides where it stops short
    /// of the layer, and the flag that stops it.
    pub image_pending: Option<PendingImage>,
    /// Images taken in so far (the window's state dump shows it to tests).
    pub images_made: u64,
    /// Images stopped before they were done (the view left them), streamed or of a kept level.
    pub images_stopped: u64,
    /// Render passes of its images that waited for the user's input to stop (`yielding`),
    /// counted by the threads that draw them.
    pub image_passes_held: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The feature under the pointer and the selected one. The layer's own `gpu` (and its
    /// levels and image) never shows them: they are drawn over the map's image, from
    /// [`Layer::lit`], so that pointing at a feature never draws the map again.
    pub hovered: Option<u32>,
    pub selected: Option<u32>,
    /// The layer's hovered and selected features alone, drawn over the map's image (see
    /// [`Layer::update_lit`]), with the key of what they show.
    pub lit: Option<(u64, GpuLayer)>,
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
    /// Gives the simplified copies (and the image) the full layer's visibility, opacity and
    /// highlights.
    pub fn sync_lods(&mut self) {
        for l in self
            .lods
            .iter_mut()
            .map(|l| &mut l.mesh)
            .chain(&mut self.image)
        {
            l.visible = self.gpu.visible;
            l.state = self.gpu.state;
        }
    }

    /// What an image of level `i` shows: the level's mesh, styles, visibility and opacity.
    /// Not the hover or selection: those are drawn over it ([`Layer::lit`]), so that pointing
    /// at a feature of a heavy layer costs a few triangles, not the layer's millions.
    pub fn image_key(&self, i: usize) -> u64 {
        use std::hash::Hasher;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.lods[i].mesh.fingerprint(&mut h);
        h.write_u64(self.lods[i].tolerance_km.to_bits());
        h.finish()
    }

    /// The level whose image serves the view of `camera`: a streamed one the view needs, or
    /// the exact level drawn.
    pub fn image_level(&self, camera: &Camera) -> Option<usize> {
        self.drawn(camera).image_level()
    }

    /// What a view of `camera` draws: the layer's image where it shows the level that view
    /// needs pixel for pixel, else [`Layer::drawn`]. A streamed level's image that the view has
    /// been panned past still shows what it covers, pixel for pixel, until the view's own is
    /// in (not exact): better than the coarse stand-in.
    pub fn drawn_at(&self, camera: &Camera) -> Drawn<'_> {
        let d = self.drawn(camera);
        let Some(i) = d.image_level() else {
            return d;
        };
        let Some(w) = &self.image else { return d };
        let Some(img) = w.image.as_ref().filter(|img| img.key == self.image_key(i)) else {
            return d;
        };
        if img.shows(camera) {
            return Drawn {
                mesh: w,
                level: Some(i),
                exact: true,
                missing: d.missing,
                image_of: None,
            };
        }
        if d.image_of.is_some() && img.origin_on(camera).is_some() {
            return Drawn {
                mesh: w,
                level: Some(i),
                exact: false,
                ..d
            };
        }
        d
    }

    /// The mesh to draw for the view of `camera`: the full one of a light layer, or the level
    /// a heavy one needs (or its stand-in; see [`lod::choose`]). Only levels that hold the
    /// view's part of the layer count ([`lod::Level::covers`]); failing those, the nearest
    /// one stands in. Where that level is streamed, a kept level exact at this scale is
    /// drawn, else the nearest kept one stands in until the streamed level's image is in
    /// ([`Drawn::image_of`]). A lossy stand-in is never exact.
    pub fn drawn(&self, camera: &Camera) -> Drawn<'_> {
        if self.lods.is_empty() {
            return Drawn {
                mesh: &self.gpu,
                level: None,
                exact: true,
                missing: None,
                image_of: None,
            };
        }
        let scale = camera.scale;
        // Strokes and markers of features just past a part reach into the view.
        let reach = self.gpu.reach_on(camera.pixel_ratio);
        let need = lod::needs(camera, reach);
        // Levels that all draw the same count as the ladder's own for this scale.
        let made: Vec<f64> = self
            .lods
            .iter()
            .map(|l| match self.levels_alike {
                true => lod::tolerance_for(scale),
                false => l.tolerance_km,
            })
            .collect();
        let pick = |among: &dyn Fn(&lod::Level<GpuLayer>) -> bool| {
            let ids: Vec<usize> = (0..made.len()).filter(|&i| among(&self.lods[i])).collect();
            let t: Vec<f64> = ids.iter().map(|&i| made[i]).collect();
            lod::choose(&t, scale).map(|c| (ids[c.index], c))
        };
        let exactable = pick(&|l| !l.lossy && l.covers(&need));
        let wanted = match exactable {
            Some((_, c)) => c.missing,
            None => Some(lod::tolerance_for(scale)),
        };
        let missing = wanted
            .filter(|&t| !self.lods_asked.iter().any(|a| a.want.serves(t, &need)))
            .map(|tolerance_km| lod::Want {
                tolerance_km,
                covers: lod::coverage_for(camera, reach, self.data.bounds),
            });
        let failed_at = |t: f64| self.lods_failed.iter().any(|w| w.serves(t, &need));
        let failed = wanted.is_some_and(failed_at);
        if let Some((i, c)) = exactable.filter(|(i, _)| !self.lods[*i].streamed) {
            return Drawn {
                mesh: &self.lods[i].mesh,
                level: Some(i),
                exact: c.exact || failed,
                missing,
                image_of: None,
            };
        }
        let image_of = exactable.filter(|(_, c)| c.exact).map(|(i, _)| i);
        // A level that holds the view stands in before one that does not (the coarse whole
        // level before a finer part of elsewhere, as a tile pyramid shows a parent tile).
        let kept = pick(&|l| !l.streamed && l.covers(&need))
            .map(|(i, c)| (i, c.exact && !self.lods[i].lossy))
            .or_else(|| pick(&|l| !l.streamed).map(|(i, _)| (i, false)));
        match kept {
            Some((i, true)) => Drawn {
                mesh: &self.lods[i].mesh,
                level: Some(i),
                exact: true,
                missing,
                image_of: None,
            },
            _ => Drawn {
                mesh: kept.map_or(&self.gpu, |(i, _)| &self.lods[i].mesh),
                level: kept.map(|(i, _)| i),
                // Its image (or the level) failed: the stand-in is the best there is.
                exact: match image_of {
                    Some(i) => failed_at(made[i]),
                    None => failed,
                },
                missing,
                image_of,
            },
        }
    }

    /// Stops the levels of parts of the layer asked for earlier that do not hold what the view
    /// of `camera` needs (the view has been panned or zoomed away): those not started yet are
    /// never made (those started are dropped when they come), and the ones the view needs go
    /// first. Those that do hold it stay, at whatever scale: a finer part stands in well while
    /// the view's own is made.
    pub fn cancel_stale_levels(&mut self, camera: &Camera) {
        let need = lod::needs(camera, self.gpu.reach_on(camera.pixel_ratio));
        let before = self.lods_asked.len();
        self.lods_asked.retain(|a| {
            let stale = a.want.covers.is_some_and(|c| !c.holds(&need));
            if stale {
                a.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            !stale
        });
        self.lods_cancelled += (before - self.lods_asked.len()) as u64;
    }

    /// Takes in a level made on a loading thread for `asked`: in ladder order, with the
    /// layer's styles of now, in place of the levels of its tolerance that it holds; then drops
    /// the levels used longest ago beyond the budget and the count of partial ones (never the
    /// one drawn for `camera`, nor the new one).
    pub fn add_level(
        &mut self,
        mut level: lod::Level<GpuLayer>,
        asked: lod::Want,
        camera: &Camera,
    ) {
        self.lods_asked.retain(|a| a.want != asked);
        let (tolerance, covers) = (level.tolerance_km, level.covers);
        self.lods.retain(|l| {
            let held = match (covers, l.covers) {
                (None, _) => true,
                (Some(c), Some(old)) => c.holds(&old),
                (Some(_), None) => false,
            };
            l.tolerance_km != tolerance || !held
        });
        level.mesh.visible = self.gpu.visible;
        level.mesh.state = self.gpu.state;
        let at = self
            .lods
            .iter()
            .position(|l| l.tolerance_km < level.tolerance_km)
            .unwrap_or(self.lods.len());
        self.lods.insert(at, level);
        let d = self.drawn(camera);
        // The coarsest whole level stays too: light, and what stands in for a view that no
        // other level holds (levels are kept coarsest first).
        let coarsest = self
            .lods
            .iter()
            .position(|l| l.covers.is_none() && !l.streamed);
        let keep: Vec<usize> = [d.level, d.image_of, Some(at), coarsest]
            .into_iter()
            .flatten()
            .collect();
        let sizes: Vec<(u64, u64, bool)> = self
            .lods
            .iter()
            .map(|l| (l.used, l.mesh.vertex_bytes(), l.covers.is_some()))
            .collect();
        let mut gone = lod::evict(&sizes, &keep, lod::BUDGET_BYTES, lod::PARTIAL_LEVELS);
        gone.sort_unstable_by(|a, b| b.cmp(a));
        for i in gone {
            log::info!(
                "{}: level {} km{} dropped (levels over {} MiB, or partial ones over {})",
                self.data.name,
                self.lods[i].tolerance_km,
                if self.lods[i].covers.is_some() {
                    " (part)"
                } else {
                    ""
                },
                lod::BUDGET_BYTES >> 20,
                lod::PARTIAL_LEVELS
            );
            self.lods.remove(i);
        }
    }

    /// Keeps [`Layer::lit`] for a view of `camera`. The map is drawn without highlights; a
    /// layer's hovered and selected features are tessellated alone, at the drawn level's
    /// tolerance (and within its part), into a small layer drawn over the map's image. Pointing
    /// at features of a 100 MB layer then costs their triangles, not a new image of the whole
    /// layer, nor (on a software rasterizer) a heavy map drawn again over several frames.
    pub fn update_lit(&mut self, camera: &Camera, uploader: &Uploader) {
        let (hovered, selected) = (self.hovered, self.selected);
        let mut features: Vec<u32> = [hovered, selected]
            .into_iter()
            .flatten()
            .filter(|&f| (f as usize) < self.data.projected.len())
            .collect();
        features.dedup();
        if features.is_empty() || !self.shown() {
            self.lit = None;
            return;
        }
        let drawn = self.drawn_at(camera);
        let level = drawn.level.map(|i| &self.lods[i]);
        let (tolerance_km, cover) = level.map_or((0.0, None), |l| (l.tolerance_km, l.covers));
        let key = {
            use std::hash::Hasher;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            h.write_u64(tolerance_km.to_bits());
            for v in cover.map_or([f64::NAN; 4], |c| c.to_array()) {
                h.write_u64(v.to_bits());
            }
            for &f in &features {
                h.write_u32(f);
                h.write(bytemuck::bytes_of(&self.data.styles[f as usize]));
            }
            h.finish()
        };
        let at = |f: Option<u32>| {
            features
                .iter()
                .position(|&g| Some(g) == f)
                .map(|k| k as u32)
        };
        // The layer's opacity and the like follow without a new tessellation.
        let lit_state = |gpu: &mut GpuLayer| {
            gpu.state = crate::mesh::vertex::LayerUniform {
                over: 1,
                ..self.gpu.state
            };
            gpu.set_hovered(at(hovered));
            gpu.set_selected(at(selected));
        };
        if let Some((k, gpu)) = &mut self.lit {
            if *k == key {
                lit_state(gpu);
                return;
            }
        }
        let geometry: Vec<Option<std::borrow::Cow<'_, geo::Geometry<f64>>>> = features
            .iter()
            .map(|&f| {
                let g = self.data.projected[f as usize].as_ref()?;
                match cover {
                    Some(c) => lod::part_within(g, &c).map(std::borrow::Cow::Owned),
                    None => Some(std::borrow::Cow::Borrowed(g)),
                }
            })
            .collect();
        let inputs: Vec<_> = geometry
            .iter()
            .zip(&features)
            .enumerate()
            .filter_map(|(k, (g, &f))| {
                Some(tess_input(
                    g.as_deref()?,
                    k as u32,
                    &self.data.styles[f as usize],
                ))
            })
            .collect();
        let styles: Vec<_> = features
            .iter()
            .map(|&f| self.data.styles[f as usize])
            .collect();
        let groups = [(0..inputs.len()).collect()];
        let mesh = crate::mesh::tessellate::tessellate_groups(
            &inputs,
            &groups,
            tolerance_km,
            crate::mesh::tessellate::Sections::ALL,
        );
        self.lit = match uploader.upload(&mesh, &styles) {
            Ok(mut gpu) => {
                lit_state(&mut gpu);
                Some((key, gpu))
            }
            Err(e) => {
                log::warn!("{}: the highlight cannot be drawn: {e}", self.data.name);
                None
            }
        };
    }

    /// Drawn at all: visible and not fully transparent.
    pub fn shown(&self) -> bool {
        self.gpu.visible && self.gpu.state.opacity > 0.0
    }

    /// An image or a level of the layer is being made on another thread (a level that failed
    /// is not asked again, so it no longer counts).
    pub fn work_in_flight(&self) -> bool {
        self.image_pending.is_some()
            || self
                .lods_asked
                .iter()
                .any(|a| !self.lods_failed.contains(&a.want))
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

/// A layer's image being made on a loading thread.
pub struct PendingImage {
    pub camera: crate::map::camera::Camera,
    pub clipped: [bool; 4],
    pub cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}
