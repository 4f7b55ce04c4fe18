//! Files into layers: starting loads, taking a loaded layer in (new, or in place of the
//! previous version of its file), and what a failed load leaves behind.

use std::path::{Path, PathBuf};

/// The most files a folder may hold to be opened file by file.
const MAX_FOLDER_FILES: usize = 50;
use std::time::Instant;

use super::files::{self, Loaded, LoadedLayer, Meshes};
use super::layers::Layer;
use super::levels;
use super::ui::article::ArticleView;
use super::App;
use crate::map::camera::Camera;

impl App {
    /// A window layer from a map layer: its meshes uploaded unless the loading thread did.
    pub(super) fn make_layer(&mut self, loaded: LoadedLayer) -> Result<Layer, String> {
        let LoadedLayer {
            layer: data,
            hit,
            legend,
            meshes,
        } = loaded;
        let gfx = &self
            .win
            .as_ref()
            .ok_or_else(|| "the window is not open".to_string())?
            .gfx;
        let (gpu, levels) = match meshes {
            Meshes::Uploaded(made) => *made,
            Meshes::Cpu(first) => {
                let (gpu, first) =
                    files::upload(&gfx.renderer.uploader(&gfx.gpu.device), &data, first)?;
                (gpu, first.into_iter().collect())
            }
        };
        let levels_alike = !crate::map::lod::simplifies(&data.projected);
        Ok(Layer {
            uid: self.layers.new_uid(),
            key: data.source.as_deref().and_then(files::watch_key),
            data,
            gpu,
            hit,
            legend,
            levels_alike,
            lods: levels,
            lods_asked: Vec::new(),
            lods_cancelled: 0,
            lods_failed: Vec::new(),
            image: None,
            image_asked: None,
            image_pending: None,
            images_made: 0,
            images_stopped: 0,
            image_passes_held: Default::default(),
            hovered: None,
            selected: None,
            lit: None,
            reload_error: None,
        })
    }

    pub(super) fn start_load(&mut self, path: PathBuf, reload: bool) {
        if !reload && path.is_dir() {
            return self.open_folder(&path);
        }
        if !reload {
            self.files.loading.push((path.clone(), Instant::now()));
        }
        let uploader = self
            .win
            .as_ref()
            .map(|w| w.gfx.renderer.uploader(&w.gfx.gpu.device));
        let prefetched = match self.files.prefetched.iter().position(|p| p.0 == path) {
            Some(i) if !reload => Some(self.files.prefetched.swap_remove(i).1),
            _ => None,
        };
        files::spawn_load(
            self.post.loaded(),
            path,
            self.projection,
            self.args.max_size,
            reload,
            uploader,
            self.first_view(),
            prefetched,
        );
        self.request_redraw();
    }

    /// The view a heavy file is made for first (before the first frame the camera is not yet
    /// fitted to the region), and what fitting the file would give.
    fn first_view(&self) -> files::FirstView {
        let camera = if self.view.first {
            self.home_camera()
        } else {
            self.view.camera
        };
        let [x0, y0, x1, y1] = self
            .view
            .known_free_rect()
            .unwrap_or_else(|| self.free_rect(camera.size));
        let pad = 2.0 * super::FIT_PADDING * self.view.pixel_ratio();
        files::FirstView {
            camera,
            fit_px: [(x1 - x0 - pad).max(1.0), (y1 - y0 - pad).max(1.0)],
            // The zoom-out limit the window will have (before the first frame the camera
            // holds a default): a world file's fit stops there, and its level is the one made.
            scale_limits: [self.min_scale(), camera.max_scale],
        }
    }

    /// A folder (named on the command line, dropped, or typed): every overlay and article in
    /// it, up to `MAX_FOLDER_FILES`; a bigger folder opens in archive mode (`super::archive`).
    fn open_folder(&mut self, dir: &Path) {
        let files = match files::folder_files(dir) {
            Ok(files) => files,
            Err(e) => {
                return self.toast(
                    format!("{}: cannot read the folder: {e}", dir.display()),
                    true,
                )
            }
        };
        if files.len() > MAX_FOLDER_FILES || super::archive::holds_archive(dir) {
            return self.open_archive(dir, files.len());
        }
        if files.is_empty() {
            return self.toast(
                format!(
                    "{}: no GeoJSON or article files (.geojson, .json, .txt, .md) in this folder",
                    dir.display()
                ),
                true,
            );
        }
        for f in files {
            self.start_load(f, false);
        }
    }

    pub(super) fn on_loaded(&mut self, l: Loaded) {
        if let Some(i) = self.files.loading.iter().position(|p| p.0 == l.path) {
            self.files.loading.remove(i);
        }
        let p = (l.projection.kind, l.projection.central);
        if p != (self.projection.kind, self.projection.central) {
            // Made in the projection the window had before a switch: made again.
            return self.load_again(l);
        }
        let key = files::watch_key(&l.path);
        let existing = key.as_ref().and_then(|k| self.layers.index_of_key(k));
        if l.reload && existing.is_none() {
            // Removed while it reloaded.
            return;
        }
        let loaded = match l.result {
            Ok(loaded) => loaded,
            Err(e) => return self.load_failed(&l.path, existing, e),
        };
        if let Some(k) = &key {
            self.files.failed.remove(k);
        }
        let name = loaded.layer.name.clone();
        let (features, warnings) = (loaded.layer.features.len(), loaded.layer.warnings.len());
        let new = match self.make_layer(loaded) {
            Ok(new) => new,
            // Whatever was shown stays.
            Err(e) => return self.toast(e, true),
        };
        self.ui.hover = None;
        match existing {
            Some(i) => {
                self.replace_layer(i, new);
                self.toast(
                    format!("Reloaded {name}: {features} features, {warnings} warnings"),
                    false,
                );
            }
            None => {
                if let Some(k) = &new.key {
                    self.files.watcher.watch(k);
                }
                if !l.path.as_os_str().is_empty() {
                    self.files.recent.add(&l.path);
                }
                let at = self.layers.insert_overlay(new);
                if self.layers.as_slice()[at].data.article.is_some() {
                    // Room for the map: the article's panel takes the layers panel's place.
                    self.ui.panels.layers_open = false;
                    self.show_article(at);
                    self.ui.pending_fit = Some(self.layers.as_slice()[at].uid);
                }
                self.toast(
                    format!(
                        "Loaded {name}: {features} features, {warnings} warnings ({:.0} ms)",
                        l.took.as_secs_f64() * 1000.0
                    ),
                    false,
                );
            }
        }
        self.refresh_highlight();
        log::info!(
            "{}: in the window after frame {}",
            l.path.display(),
            self.stats.frame_no
        );
        // A heavy layer's streamed image is asked for now rather than after the next frame:
        // that frame draws the stand-in level (150-250 ms on a software rasterizer) while it
        // is made. (Before the first frame the view is not yet fitted to the panels.)
        if !self.view.first {
            if self.files.loading.is_empty() {
                self.bench_fit_on_load();
            }
            self.ask_for_images(false);
        }
    }

    /// `--bench-frames`: the view fits the files as soon as they are in (see
    /// [`super::bench::FrameBench::fit_on_load`]).
    fn bench_fit_on_load(&mut self) {
        let Some(b) = self.layers.overlay_bounds() else {
            return;
        };
        let full = self.fit_camera(b);
        if let Some(c) = self.stats.bench.as_mut().and_then(|b| b.fit_on_load(full)) {
            self.view.nav.stop();
            self.view.camera = c;
            self.ui.hover = None;
            self.refresh_highlight();
            self.request_redraw();
        }
    }

    /// A layer made in another projection than the window's, made again in the window's.
    fn load_again(&mut self, l: Loaded) {
        if !l.path.as_os_str().is_empty() {
            return self.start_load(l.path, l.reload);
        }
        let article = l
            .result
            .ok()
            .and_then(|loaded| loaded.layer.article)
            .map(|a| a.article);
        if let Some(a) = article {
            files::spawn_article(self.post.loaded(), self.projection, a);
        }
    }

    /// A load that failed: a reload keeps the previous version and marks the layer; a first
    /// load is watched all the same, so that a fixed file loads.
    fn load_failed(&mut self, path: &std::path::Path, existing: Option<usize>, e: String) {
        match existing.and_then(|i| self.layers.get_mut(i)) {
            Some(layer) => {
                layer.reload_error = Some(e.clone());
                self.toast(
                    format!("Reload failed; the previous version stays. {e}"),
                    true,
                );
            }
            None => {
                if let Some(k) = self.files.watcher.watch(path) {
                    self.files.failed.insert(k);
                }
                self.toast(e, true);
            }
        }
    }

    /// A reloaded file takes the place of its previous version: same position, visibility,
    /// opacity, selection and article panel.
    pub(super) fn replace_layer(&mut self, i: usize, mut new: Layer) {
        let old = &self.layers.as_slice()[i];
        new.gpu.visible = old.gpu.visible;
        new.gpu.set_opacity(old.gpu.state.opacity);
        let old_uid = old.uid;
        if let Some((uid, f)) = self.ui.selected {
            if uid == old_uid {
                let kept = (f as usize) < new.data.features.len();
                self.ui.selected = kept.then_some((new.uid, f));
            }
        }
        let was_shown = self.ui.article.as_ref().is_some_and(|a| a.0 == old_uid);
        self.layers.replace(i, new);
        if was_shown {
            self.show_article(i);
        }
    }

    /// Asks the loading threads for the levels of detail the view of `camera` needs and no
    /// layer has yet (see `lod`); the nearest level made stands in meanwhile. A level of part
    /// of a layer waits for a drag to end: every view's width of a drag would ask for another.
    pub(super) fn ask_for_levels(&mut self, camera: &Camera) {
        let Some(win) = &self.win else { return };
        let dragging = self.view.nav.is_dragging();
        for l in self.layers.iter_mut() {
            l.cancel_stale_levels(camera);
            let Some(want) = l.drawn(camera).missing.filter(|_| l.shown()) else {
                continue;
            };
            if dragging && want.covers.is_some() {
                continue;
            }
            let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            l.lods_asked.push(levels::Asked {
                want,
                cancel: cancel.clone(),
            });
            let uploader = win
                .gfx
                .renderer
                .uploader(&win.gfx.gpu.device)
                .sharing_styles(&l.gpu);
            levels::spawn_level(self.post.level(), l.uid, &l.data, want, cancel, uploader);
        }
    }

    /// Asks the loading threads for an image of each heavy layer whose level draws more than
    /// [`image_above`] triangles in this view at rest, or whose level this view needs is
    /// streamed (see `gpu::raster`).
    /// `after_frame`: called after a frame, whose map is known to be exact or not (a kept
    /// level's image waits for that); otherwise only streamed levels' images are asked for.
    pub(super) fn ask_for_images(&mut self, after_frame: bool) {
        use crate::gpu::raster::{image_above, image_camera, reaches, same_scale};
        let camera = self.view.camera;
        let frame_no = self.stats.frame_no;
        let Some(win) = &self.win else { return };
        // An image being drawn that will not hold this view (at another scale, or a view
        // panned past it) is of no use: a streamed one stops at its next render pass (its
        // tessellation with it) and frees the cores and the driver's queue for the window's
        // frames, even while the view moves; a kept level's (one submission) stops only if it
        // has not started.
        for l in self.layers.iter() {
            if let Some(p) = &l.image_pending {
                if !reaches(&p.camera, p.clipped, &camera) {
                    p.cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
        if self.view.nav.is_moving() || crate::map::lod::disabled() {
            return;
        }
        // A kept level's image waits for the exact map on screen (drawn meanwhile, it would
        // take the cores from it); a streamed level's image is that exact map.
        let exact = after_frame && self.stats.levels_exact && win.gfx.last_map.is_exact();
        for l in self.layers.iter_mut() {
            // An image of another scale is of no use to this view: its memory goes.
            let stale = l
                .image
                .as_ref()
                .and_then(|g| g.image.as_ref())
                .is_some_and(|img| !same_scale(img.camera.scale, camera.scale));
            if stale && l.image_pending.is_none() {
                l.image = None;
            }
            let d = l.drawn_at(&camera);
            // One image at a time a layer: a view panned meanwhile asks again once it is in.
            // (An image drawn for a streamed level it no longer covers is asked again.)
            let shows = d.mesh.image.is_some() && d.image_of.is_none();
            if shows || !l.shown() || l.image_pending.is_some() {
                continue;
            }
            let i = match (d.image_of, d.level) {
                (Some(i), _) => i,
                (None, Some(i))
                    if d.exact
                        && exact
                        && l.lods[i].mesh.visible_triangles(&camera) > image_above() =>
                {
                    i
                }
                _ => continue,
            };
            let Some(bounds) = l.data.bounds else {
                continue;
            };
            let reach = l.lods[i].mesh.reach_on(camera.pixel_ratio);
            let (image_camera, clipped) = image_camera(&camera, bounds, reach);
            let key = l.image_key(i);
            let asked = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                key.hash(&mut h);
                image_camera.center.map(f64::to_bits).hash(&mut h);
                image_camera.scale.to_bits().hash(&mut h);
                image_camera.size.hash(&mut h);
                h.finish()
            };
            if l.image_asked == Some(asked) {
                continue;
            }
            l.image_asked = Some(asked);
            let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            l.image_pending = Some(super::layers::PendingImage {
                camera: image_camera,
                clipped,
                cancel: cancel.clone(),
            });
            log::info!(
                "{}: image of level {} km ({}) asked after frame {}, {}x{} px, key {key:x}",
                l.data.name,
                l.lods[i].tolerance_km,
                if l.lods[i].streamed {
                    "streamed"
                } else {
                    "kept"
                },
                frame_no,
                image_camera.size[0],
                image_camera.size[1]
            );
            let (gfx, device) = (&win.gfx, &win.gfx.gpu.device);
            let uploader = gfx.renderer.uploader(device);
            let level = &l.lods[i];
            levels::spawn_image(
                self.post.image(),
                l.uid,
                levels::ImageJob {
                    // Unlit, as every map layer: highlights are drawn over the image.
                    layer: uploader.share(&level.mesh),
                    streamed: level.streamed.then(|| levels::Streamed {
                        projected: l.data.projected.clone(),
                        styles: l.data.styles.clone(),
                        // Within the error the view allows, as `render` simplifies (the
                        // ladder's level may be up to twice as fine).
                        tolerance_km: (crate::map::lod::LEVEL_ERROR_PX / camera.scale)
                            .max(level.tolerance_km),
                        // Levels that all draw the same stand for the ladder's own at this
                        // scale (`Layer::drawn`).
                        level_km: if l.levels_alike {
                            crate::map::lod::tolerance_for(camera.scale)
                        } else {
                            level.tolerance_km
                        },
                    }),
                    camera: image_camera,
                    key,
                    clipped,
                    renderer: gfx.renderer.for_thread(device),
                    queue: gfx.gpu.queue.clone(),
                    uploader,
                    cancel,
                    input: self.view.input.clone(),
                    held: l.image_passes_held.clone(),
                },
            );
        }
    }

    /// A layer's image made on a loading thread: to its layer, if that is still there (drawn
    /// while its key and camera hold, see [`Layer::drawn_at`]).
    pub(super) fn on_image(&mut self, made: levels::ImageMade) {
        let Some(i) = self.layers.index_of(made.uid) else {
            return;
        };
        if let Some(layer) = self.layers.get_mut(i) {
            layer.image_pending = None;
            if !made.skipped.is_empty() {
                layer.data.record_skipped(&made.skipped);
            }
        }
        self.request_redraw();
        match made.result {
            Ok(image) => {
                log::info!("image of layer {} in after {:?}", made.uid, made.took);
                let camera = self.view.camera;
                if let Some(layer) = self.layers.get_mut(i) {
                    // One that still serves the view is not replaced by one that does not (the
                    // hover went back while the new one was drawn).
                    let serves = |l: &Layer, g: &crate::gpu::GpuLayer| {
                        let level = l.image_level(&camera);
                        g.image
                            .as_ref()
                            .zip(level)
                            .is_some_and(|(img, i)| img.key == l.image_key(i) && img.shows(&camera))
                    };
                    let keep = layer.image.as_ref().is_some_and(|old| serves(layer, old))
                        && !serves(layer, &image);
                    if !keep {
                        layer.images_made += 1;
                        layer.image = Some(image);
                        layer.sync_lods();
                    }
                }
                self.request_redraw();
            }
            // Asked again when a view wants it.
            Err(crate::gpu::GpuError::Cancelled) => {
                if let Some(layer) = self.layers.get_mut(i) {
                    layer.image_asked = None;
                    layer.images_stopped += 1;
                }
            }
            // The layer's mesh is drawn as before; a streamed level's stand-in stays, as the
            // best there is (the window would otherwise never come to rest).
            Err(e) => {
                log::warn!("no image of layer {}: {e}", made.uid);
                if let (Some(t), Some(layer)) = (made.streamed_km, self.layers.get_mut(i)) {
                    layer.lods_failed.push(crate::map::lod::Want {
                        tolerance_km: t,
                        covers: None,
                    });
                }
            }
        }
    }

    /// A level of detail made on a loading thread: to its layer, if that is still there.
    pub(super) fn on_level(&mut self, made: levels::LevelMade) {
        let camera = self.view.camera;
        let Some(i) = self.layers.index_of(made.uid) else {
            return;
        };
        let tolerance_km = made.want.tolerance_km;
        if made.cancelled {
            // The view moved on: what it needs now is asked for on the next frame.
            return self.request_redraw();
        }
        let (mut mesh, streamed, covers) = match made.result {
            Ok(made) => made,
            Err(e) => {
                // Left asked for: not tried again; the nearest level stays.
                if let Some(layer) = self.layers.get_mut(i) {
                    layer.lods_failed.push(made.want);
                }
                return self.toast(format!("Cannot make a level of detail: {e}"), true);
            }
        };
        log::info!(
            "level {tolerance_km} km of layer {} in after {:?}: {:.1} MB",
            made.uid,
            made.took,
            mesh.vertex_bytes() as f64 / 1e6
        );
        let Some(win) = &self.win else { return };
        let Some(layer) = self.layers.get_mut(i) else {
            return;
        };
        // Styles may have changed while it was made (a level drawn with the layer's own table
        // has them already).
        if !mesh.shares_styles_with(&layer.gpu) {
            win.gfx
                .renderer
                .update_styles(&win.gfx.gpu.queue, &mut mesh, &layer.data.styles);
        }
        layer.add_level(
            crate::map::lod::Level {
                tolerance_km,
                mesh,
                used: self.stats.frame_no,
                streamed,
                lossy: false,
                covers,
            },
            made.want,
            &camera,
        );
        self.request_redraw();
    }

    /// Shows the text of the article layer at `i` in the article panel.
    pub(super) fn show_article(&mut self, i: usize) {
        let Some(layer) = self.layers.get(i) else {
            return;
        };
        self.ui.article = ArticleView::from_layer(&layer.data).map(|v| (layer.uid, v));
    }
}
