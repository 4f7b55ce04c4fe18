//! One frame, step by step: advance the view, lay the panels out (egui), draw the map and the
//! panels, then act on what was presented (screenshot, frame dump, bench) and on the panels'
//! actions.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use winit::event_loop::ActiveEventLoop;

use super::gfx::{self, FrameOutcome};
use super::ui::{self, Action};
use super::{bench, dump, App};
use crate::gpu::GpuLayer;
use crate::map::layer::LayerKind;
use crate::rect::RectExt;

/// A map that takes longer than this to draw (ms, whole frame) is not redrawn during a pan or
/// zoom: the window shows its last image moved, and draws it exactly once the view rests.
const MOVE_CACHE_ABOVE_MS: f64 = 20.0;
/// The spinner's pace while files load or the map is drawn in the background: at most 5
/// redraws a second, at most a tenth of the time in frames (on a software rasterizer a frame
/// takes a core for 100 ms and more, which the load or the image's passes need), and a redraw
/// every 2 s at least. Input, and what the work brings in, redraw at once all the same.
const SPINNER_PACE: (Duration, Duration) = (Duration::from_millis(200), Duration::from_secs(2));
const SPINNER_SHARE: f64 = 0.1;

/// What the panels produced for the GPU and for the App.
struct UiFrame {
    jobs: Vec<egui::ClippedPrimitive>,
    textures: egui::TexturesDelta,
    pixels_per_point: f32,
    actions: Vec<Action>,
    /// egui wants another frame after this long.
    repaint_delay: Duration,
}

/// Where the time of a frame went, ms from its start.
#[derive(Default)]
struct Timings {
    hover: Duration,
    labels: Duration,
    ui: Duration,
    gpu: Duration,
}

impl App {
    pub(super) fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        let start = Instant::now();
        if self.win.is_none() {
            return;
        }
        if let Some(d) = frame_delay() {
            std::thread::sleep(d);
        }
        let mut t = Timings::default();
        self.advance_view(start);
        t.hover = start.elapsed();
        let laid_out = self.view.map_rect;
        let mut ui = self.lay_out_panels(start, &mut t);
        t.ui = start.elapsed();
        if self.view.first {
            // Fitted again to the free area the panels really left (a resizable panel's width
            // is known once laid out, and egui's first frames settle sizes), so that Home
            // returns to exactly this view.
            self.view.camera = self.home_camera();
            self.view.first = laid_out != self.view.map_rect;
            if self.view.first {
                // Labels of this frame were placed for the camera before the fit.
                self.request_redraw();
            }
        }
        self.fit_pending_article();
        self.archive_frame();
        let outcome = self.draw(&mut ui);
        t.gpu = start.elapsed();
        self.schedule_egui_wake(ui.repaint_delay, start);
        match outcome {
            FrameOutcome::Retry => return self.request_redraw(),
            FrameOutcome::Skipped => return,
            FrameOutcome::Presented(image) => self.presented(image, event_loop),
        }
        for a in ui.actions {
            self.apply(a);
        }
        self.frame_done(start, &t, event_loop);
    }

    /// Animations and inertia move the camera; toasts expire; the hover follows the pointer.
    fn advance_view(&mut self, now: Instant) {
        if let Some(b) = &mut self.stats.bench {
            b.frame_started(now);
        }
        if self.view.first {
            self.view.camera = self.home_camera();
        }
        // Zoom-out stops when the projection's extent (the world, or the conic's useful box)
        // fits the map's free area.
        self.view.camera.min_scale = self.min_scale();
        self.view.nav.tick(now, &mut self.view.camera);
        self.settle_click(now);
        self.ui.toasts.retain(|t| t.until > now);
        // Hover waits until the view rests: a highlight that changes under a moving map would
        // also make every frame of a pan draw the map in full (see `gpu::cache`).
        if self.view.last_camera.is_none_or(|c| c == self.view.camera) {
            self.update_hover();
        }
    }

    /// What the panels show this frame.
    fn model<'a>(&'a self, adapter: &'a str) -> ui::Model<'a> {
        let ppp = self.ctx.pixels_per_point() as f64;
        let index = |uid: u64| self.layers.index_of(uid);
        let mut articles: Vec<(usize, String, Option<String>)> = self
            .layers
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let a = l.data.article.as_deref()?;
                Some((i, l.data.name.clone(), a.article.date.clone()))
            })
            .collect();
        articles.sort_by(|a, b| b.2.cmp(&a.2));
        let selected = self.ui.selected.and_then(|(u, f)| Some((index(u)?, f)));
        let article = self
            .ui
            .article
            .as_ref()
            .and_then(|(uid, v)| Some((index(*uid)?, v)));
        ui::Model {
            projection: &self.projection,
            layers: self
                .layers
                .iter()
                .map(|l| ui::LayerView {
                    layer: &l.data,
                    visible: l.gpu.visible,
                    opacity: l.gpu.state.opacity,
                    legend: &l.legend,
                    reload_error: l.reload_error.as_deref(),
                })
                .collect(),
            camera: &self.view.camera,
            pointer: self
                .view
                .cursor
                .map(|p| egui::pos2((p[0] / ppp) as f32, (p[1] / ppp) as f32)),
            hover: self.ui.hover,
            selected,
            selected_at: selected.and_then(|s| self.feature_on_screen(s)),
            dragging: self.view.nav.is_dragging(),
            toasts: &self.ui.toasts,
            loading: &self.files.loading,
            drawing: self.drawing_in_background(),
            switching: self.view.switching.as_ref().map(|p| p.to.kind),
            drop_hover: self.ui.drop_hover,
            recent: &self.files.recent.files,
            frame_ms: self.stats.frame_ms,
            adapter,
            clean: !self.ui.shots.is_empty(),
            articles,
            article_lit: article.and_then(|(li, _)| self.article_entity_hovered(li)),
            article,
            measure: self.ui.measure.as_deref(),
            graticule: self.ui.graticule,
            archive: self.archive.as_ref().map(|a| &a.view),
        }
    }

    /// The entity of the article layer `li` that the hovered feature is: itself, or the
    /// entity with the hovered base map feature's id.
    fn article_entity_hovered(&self, li: usize) -> Option<usize> {
        let (hl, hf) = self.ui.hover?;
        if hl == li {
            return Some(hf as usize);
        }
        let f = self.layers.get(hl)?.data.features.get(hf as usize)?;
        let id = f.id.as_deref().or_else(|| f.prop_str("id"))?;
        let a = self.layers.get(li)?.data.article.as_deref()?;
        a.entities.iter().position(|e| e.id == id)
    }

    /// A feature's bounds on screen, physical px.
    fn feature_rect(&self, (li, fi): (usize, u32)) -> Option<[f32; 4]> {
        use geo::BoundingRect;
        let b = self
            .layers
            .get(li)?
            .data
            .projected
            .get(fi as usize)?
            .as_ref()?
            .bounding_rect()?;
        let c = &self.view.camera;
        let a = c.world_to_screen([b.min().x, b.max().y]);
        let z = c.world_to_screen([b.max().x, b.min().y]);
        Some([a[0] as f32, a[1] as f32, z[0] as f32, z[1] as f32])
    }

    /// Where a feature is on screen, in points: its label's anchor, or its bounds' centre.
    fn feature_on_screen(&self, (li, fi): (usize, u32)) -> Option<egui::Pos2> {
        use geo::BoundingRect;
        let layer = &self.layers.get(li)?.data;
        let w = match layer.label_anchors().get(fi as usize).copied().flatten() {
            Some(crate::map::anchor::Anchor::Inside(p) | crate::map::anchor::Anchor::Beside(p)) => {
                p
            }
            None => {
                let c = layer
                    .projected
                    .get(fi as usize)?
                    .as_ref()?
                    .bounding_rect()?
                    .center();
                [c.x, c.y]
            }
        };
        let s = self.view.camera.world_to_screen(w);
        let ppp = self.ctx.pixels_per_point() as f64;
        Some(egui::pos2((s[0] / ppp) as f32, (s[1] / ppp) as f32))
    }

    /// Labels and panels through egui; remembers where the panels left the map free.
    fn lay_out_panels(&mut self, start: Instant, t: &mut Timings) -> UiFrame {
        let win = self.win.as_mut().expect("the window is open");
        let mut raw = win.egui.take_egui_input(&win.gfx.window);
        raw.events
            .splice(0..0, std::mem::take(&mut self.ui.held_input));
        self.ui.held_input = ui::keys_after_click(&mut raw.events);
        if !self.ui.held_input.is_empty() {
            win.gfx.window.request_redraw();
        }
        let adapter = win.gfx.describe();
        let visible: Vec<bool> = self.layers.iter().map(|l| l.shown()).collect();
        // Labels go where the panels of the last frame left the map free.
        let c = &self.view.camera;
        let area = self
            .view
            .known_free_rect()
            .unwrap_or([0.0, 0.0, c.size[0] as f64, c.size[1] as f64])
            .map(|v| v as f32);
        let labels =
            crate::map::labels::place_labels_within(self.layers.as_slice(), c, &visible, area);
        t.labels = start.elapsed();
        let mut panels = std::mem::take(&mut self.ui.panels);
        let model = self.model(&adapter);
        let free =
            egui::Rect::from_min_max(egui::pos2(area[0], area[1]), egui::pos2(area[2], area[3]));
        let mut shown = ui::Output::default();
        let out = self.ctx.run_ui(raw, |ui| {
            // The graticule and labels sit on the background layer: over the map, under every
            // panel.
            let ppp = ui.ctx().pixels_per_point();
            let painter = ui.ctx().layer_painter(egui::LayerId::background());
            if model.graticule {
                ui::tools::graticule(&painter, &model, free / ppp, ppp);
            }
            crate::gpu::labels::paint_labels(&painter, &labels, ppp);
            shown = ui::show(ui, &model, &mut panels);
        });
        drop(model);
        if std::mem::take(&mut panels.widths_changed) {
            super::files::save_panel_widths(panels.widths);
        }
        self.ui.panels = panels;
        // A mention hovered in the article lights its entity in this very frame's map (the
        // hover from the map was cleared above: the pointer is over the panel).
        if let Some(h) = shown.hover_entity {
            self.ui.hover_from_map = false;
            if self.ui.hover != Some(h) {
                self.ui.hover = Some(h);
                self.refresh_highlight();
            }
        }
        let win = self.win.as_mut().expect("the window is open");
        win.egui
            .handle_platform_output(&win.gfx.window, out.platform_output);
        let ppp = out.pixels_per_point;
        let to_px = |r: egui::Rect| [r.min.x * ppp, r.min.y * ppp, r.max.x * ppp, r.max.y * ppp];
        self.ui.controls = shown
            .controls
            .iter()
            .map(|(n, r)| (n.clone(), to_px(*r)))
            .collect();
        self.view.map_rect = to_px(shown.free).map(|v| v as f64);
        // egui's own repaint wishes (tooltips fading, spinners); its request in answer to the
        // redraw itself is not one of them (egui-winit asks for a repaint on every redraw:
        // honouring it would redraw for ever).
        let repaint_delay = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay)
            .unwrap_or(Duration::MAX);
        UiFrame {
            jobs: self.ctx.tessellate(out.shapes, ppp),
            textures: out.textures_delta,
            pixels_per_point: ppp,
            actions: shown.actions,
            repaint_delay,
        }
    }

    /// An article just opened: fly to what it is about, now that its panel has its place.
    fn fit_pending_article(&mut self) {
        let Some(uid) = self.ui.pending_fit.take() else {
            return;
        };
        let focus = self
            .layers
            .index_of(uid)
            .and_then(|i| crate::map::overlay::article_view(&self.layers.as_slice()[i].data));
        if let Some(b) = focus {
            let to = self.fit_camera(b);
            self.fly_to(to);
        }
    }

    /// The map (or its cached image) and the panels over it.
    fn draw(&mut self, ui: &mut UiFrame) -> FrameOutcome {
        let read_back = self.stats.dump.is_some() || !self.ui.shots.is_empty();
        for l in self.layers.iter_mut() {
            l.sync_lods();
        }
        // The levels where the view is heading (not every scale a zoom animation passes).
        self.ask_for_levels(&self.view.nav.target(&self.view.camera));
        let frame_no = self.stats.frame_no;
        let camera = self.view.camera;
        let mut exact = true;
        for l in self.layers.iter_mut() {
            // A streamed level's view is exact once its image is in.
            exact &= l.drawn_at(&camera).exact || !l.shown();
            let drawn = l.drawn(&camera);
            for i in drawn.level.into_iter().chain(drawn.image_of) {
                l.lods[i].used = frame_no;
            }
        }
        self.stats.levels_exact = exact;
        if let Some(win) = &self.win {
            let uploader = win.gfx.renderer.uploader(&win.gfx.gpu.device);
            for l in self.layers.iter_mut() {
                l.update_lit(&camera, &uploader);
            }
        }
        // The map is drawn unlit; the hovered and selected features are drawn over its image
        // (`Layer::lit`, `MapFrame::highlights`), but not in a saved view: it shows the map.
        let saving = !self.ui.shots.is_empty();
        let layers: Vec<&GpuLayer> = self
            .layers
            .iter()
            .map(|l| l.drawn_at(&camera).mesh)
            .collect();
        let highlights: Vec<&GpuLayer> = if saving {
            Vec::new()
        } else {
            self.layers
                .iter()
                .filter_map(|l| l.lit.as_ref().map(|(_, g)| g))
                .collect()
        };
        let fingerprint = {
            use std::hash::Hasher;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for l in &layers {
                l.fingerprint(&mut h);
            }
            h.finish()
        };
        let moving = self.view.last_camera.is_some_and(|c| c != self.view.camera);
        if moving {
            // A view that moves (a drag, a zoom's animation, the bench's pans) is interaction.
            self.view.input.touch();
        }
        let bench = self.stats.bench.as_ref();
        let map = gfx::MapFrame {
            layers,
            highlights,
            fingerprint,
            may_move_cache: moving
                && self.stats.map_frame_ms > MOVE_CACHE_ABOVE_MS
                && bench.is_none_or(|b| b.may_move_cache()),
            progressive: bench.is_none_or(|b| b.progressive()),
            may_reuse: bench.is_none_or(|b| b.progressive()),
            idle: self.view.idle(),
        };
        self.view.last_camera = Some(self.view.camera);
        let win = self.win.as_mut().expect("the window is open");
        win.gfx.frame(
            &self.view.camera,
            &map,
            &ui.jobs,
            &mut ui.textures,
            ui.pixels_per_point,
            read_back,
        )
    }

    /// When egui wants the next frame; while files load or the map is drawn in the background,
    /// its spinner alone would redraw without pause: it keeps [`SPINNER_PACE`] instead.
    fn schedule_egui_wake(&mut self, delay: Duration, now: Instant) {
        let delay = if self.files.loading.is_empty() && !self.drawing_in_background() {
            delay
        } else {
            // This frame's cost so far, or the last one's (a load may slow frames down).
            let frame_ms = now.elapsed().as_secs_f64() * 1000.0;
            delay.max(spinner_pace(frame_ms.max(self.stats.frame_ms)))
        };
        self.ui.egui_wake = (delay < Duration::from_secs(3600)).then(|| now + delay);
    }

    /// A frame reached the screen: count it, save it if asked, dump it for tests.
    fn presented(&mut self, image: Option<image::RgbaImage>, event_loop: &ActiveEventLoop) {
        self.stats.frame_no += 1;
        if self.stats.frame_no == 1 {
            let ms = self.stats.started.elapsed().as_secs_f64() * 1000.0;
            log::info!("first frame after {ms:.0} ms");
            if std::env::var_os("BORDERLENS_EXIT_AFTER_FIRST_FRAME").is_some() {
                eprintln!("first frame: {ms:.1} ms");
                event_loop.exit();
            }
        }
        let Some(img) = image else {
            if !self.ui.shots.is_empty() {
                self.ui.shots.clear();
                self.toast(
                    "Cannot save the view: this graphics driver does not allow reading the window back; use `borderlens render`",
                    true,
                );
            }
            return;
        };
        for with_article in std::mem::take(&mut self.ui.shots) {
            self.save_screenshot(&img, with_article);
        }
        if let Some(d) = &self.stats.dump {
            d.write(&img, self.state());
        }
    }

    /// Frame time, the map cache's next step, the bench, the debug log; more frames while moving.
    fn frame_done(&mut self, start: Instant, t: &Timings, event_loop: &ActiveEventLoop) {
        self.stats.frame_ms = start.elapsed().as_secs_f64() * 1000.0;
        self.release_held_keys();
        if let Some(win) = &mut self.win {
            win.gfx.frame_took(self.stats.frame_ms);
            match win.gfx.last_map {
                gfx::MapSource::Drawn => self.stats.map_frame_ms = self.stats.frame_ms,
                // The exact map follows once the view rests.
                gfx::MapSource::Moved => self.request_redraw(),
                gfx::MapSource::Refining => {
                    // A map that takes frames to draw is one to move while panning.
                    self.stats.map_frame_ms =
                        self.stats.map_frame_ms.max(MOVE_CACHE_ABOVE_MS + 1.0);
                    self.request_redraw();
                }
                gfx::MapSource::Cached | gfx::MapSource::Refined => {}
            }
        }
        // A hover picked on the map before a panel came to lie under the pointer (the first
        // frames, before the panels are laid out) goes once the pointer is over the panel.
        if self.ui.hover_from_map && self.view.cursor.is_some_and(|p| self.over_ui(p)) {
            self.update_hover();
        }
        // The bench's step first: when it jumps, an image asked for the view it leaves would
        // be cancelled at once, its work wasted (the bench's doing, not a user's); the frame
        // drawn at the new view asks instead.
        let jumped = self.stats.bench.is_some() && self.bench_step(event_loop);
        // After the frame: its map is known to be exact or not.
        if !jumped {
            self.ask_for_images(true);
        }
        if log::log_enabled!(log::Level::Debug) {
            let drawn_mb: f64 = self
                .layers
                .iter()
                .filter(|l| l.gpu.visible)
                .map(|l| l.drawn(&self.view.camera).mesh.vertex_bytes() as f64 / 1e6)
                .sum();
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            log::debug!(
                "frame {} ({drawn_mb:.1} MB of geometry, map {:?}) took {:.1} ms (hover {:.1}, labels {:.1}, ui {:.1}, gpu {:.1})",
                self.stats.frame_no,
                self.win.as_ref().map(|w| w.gfx.last_map),
                self.stats.frame_ms,
                ms(t.hover),
                ms(t.labels - t.hover),
                ms(t.ui - t.labels),
                ms(t.gpu - t.ui)
            );
        }
        if self.view.nav.is_moving() {
            self.request_redraw();
        }
    }

    /// The map is still being drawn for the view: over several frames, or a layer's level or
    /// image is being made on another thread (the status bar's spinner says so).
    fn drawing_in_background(&self) -> bool {
        self.refining() || self.layers.iter().any(|l| l.shown() && l.work_in_flight())
    }

    /// The last frame showed the old map image while the map is drawn over several frames.
    pub(super) fn refining(&self) -> bool {
        self.win
            .as_ref()
            .is_some_and(|w| w.gfx.last_map == gfx::MapSource::Refining)
    }

    /// Saves the map's free area of the frame (map and labels, no panels, no hover or
    /// selection) to a new file, and says where in a toast.
    fn save_screenshot(&mut self, img: &image::RgbaImage, with_article: bool) {
        let mut rect = self.view.map_rect;
        let panel = self.ui.controls.iter().find(|c| c.0 == "article-panel");
        if let Some((_, r)) = panel.filter(|_| with_article) {
            rect = [
                rect[0].min(r[0] as f64),
                rect[1].min(r[1] as f64),
                rect[2].max(r[2] as f64),
                rect[3].max(r[3] as f64),
            ];
        }
        let [x0, y0, x1, y1] = rect.map(|v| v.round().max(0.0) as u32);
        let (x1, y1) = (x1.min(img.width()), y1.min(img.height()));
        let img = if x1 > x0 && y1 > y0 {
            image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image()
        } else {
            img.clone()
        };
        let path = screenshot_path(self.args.screenshot.as_deref());
        match dump::save_png(&img, &path) {
            Ok(()) => {
                let shown = std::fs::canonicalize(&path).unwrap_or(path);
                self.toast(format!("Saved the view to {}", shown.display()), false);
            }
            Err(e) => self.toast(
                format!("{}: cannot save the view: {e}", path.display()),
                true,
            ),
        }
    }

    /// What the frame dump says about this frame.
    fn state(&self) -> dump::State {
        let layers = self
            .layers
            .iter()
            .map(|l| {
                let drawn = l.drawn_at(&self.view.camera);
                let level = drawn.level.map(|i| &l.lods[i]);
                dump::LayerState {
                    name: l.data.name.clone(),
                    kind: l.data.kind.key(),
                    visible: l.gpu.visible,
                    opacity: l.gpu.state.opacity,
                    features: l.data.features.len(),
                    warnings: l.data.warnings.len(),
                    fill: l.data.features.first().map(|f| match l.data.kind {
                        LayerKind::Overlay => f.style.fill.hex(),
                        _ => {
                            let c = ui::linear_to_color(l.data.styles[0].fill);
                            format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
                        }
                    }),
                    reload_error: l.reload_error.clone(),
                    levels_km: l.lods.iter().map(|v| v.tolerance_km).collect(),
                    drawn_km: level.map(|v| v.tolerance_km),
                    parts: l
                        .lods
                        .iter()
                        .filter_map(|v| Some((v.tolerance_km, v.covers?.to_array())))
                        .collect(),
                    drawn_part: level.and_then(|v| v.covers).map(|c| c.to_array()),
                    asked: l
                        .lods_asked
                        .iter()
                        .map(|a| (a.want.tolerance_km, a.want.covers.map(|c| c.to_array())))
                        .collect(),
                    levels_cancelled: l.lods_cancelled,
                    exact: drawn.exact,
                    lonlat: l.data.moved_extent().is_none(),
                    streamed_km: l
                        .lods
                        .iter()
                        .filter(|v| v.streamed)
                        .map(|v| v.tolerance_km)
                        .collect(),
                    image: drawn.mesh.image.is_some(),
                    images_made: l.images_made,
                    image_pending: l.image_pending.is_some(),
                    images_stopped: l.images_stopped,
                    image_passes_held: l
                        .image_passes_held
                        .load(std::sync::atomic::Ordering::Relaxed),
                }
            })
            .collect();
        let name = |(i, f): (usize, u32)| {
            let l = &self.layers.get(i)?.data;
            Some(format!(
                "{}/{}",
                l.name,
                l.features.get(f as usize)?.name().unwrap_or("?")
            ))
        };
        let toast = self.ui.last_toast.as_ref();
        use clap::ValueEnum as _;
        dump::State {
            frame: self.stats.frame_no,
            projection: self
                .projection
                .kind
                .to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_string()),
            central: self.projection.central,
            switching: self.view.switching.is_some(),
            presented_ms: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            png: String::new(),
            center: self.view.camera.center,
            scale: self.view.camera.scale,
            size: self.view.camera.size,
            pixel_ratio: self.view.camera.pixel_ratio,
            // A frame that showed the cached map moved, or a coarser level of detail standing
            // in, is not the view at rest either.
            moving: self.view.nav.is_moving()
                || self.view.first
                || !self.stats.levels_exact
                || self
                    .win
                    .as_ref()
                    .is_some_and(|w| !w.gfx.last_map.is_exact()),
            refining: self.refining(),
            drawing: self.drawing_in_background(),
            last_frame_ms: self.stats.frame_ms,
            loading: self.files.loading.len(),
            layers,
            toast: toast.map(|t| t.0.clone()),
            toast_error: toast.is_some_and(|t| t.1),
            toasts: self.ui.toasts.iter().map(|t| t.text.clone()).collect(),
            pointer: self.view.cursor,
            hovered: self.ui.hover.and_then(name),
            hovered_rect: self.ui.hover.and_then(|h| self.feature_rect(h)),
            selected_at: self
                .ui
                .selected
                .and_then(|(u, f)| self.feature_on_screen((self.layers.index_of(u)?, f)))
                .map(|p| {
                    let ppp = self.ctx.pixels_per_point();
                    [p.x * ppp, p.y * ppp]
                }),
            measure_km: self.ui.measure.as_deref().map(ui::tools::distance_km),
            graticule: self.ui.graticule,
            selected: self
                .ui
                .selected
                .and_then(|(u, f)| Some((self.layers.index_of(u)?, f)))
                .and_then(name),
            map_rect: self.view.map_rect.map(|v| v as f32),
            controls: self.ui.controls.iter().cloned().collect(),
            archive: self.archive.as_ref().map(|a| a.dump()),
        }
    }

    /// The view has all it asked of the loading threads: every shown layer drawn within its
    /// level's error, no level nor image still being made.
    fn settled(&self) -> bool {
        let camera = self.view.camera;
        self.layers
            .iter()
            .filter(|l| l.shown())
            .all(|l| l.drawn_at(&camera).exact && !l.work_in_flight())
    }

    /// `--bench-frames`: closes the overlays opened from files and opens them again (the old
    /// layer goes first, so that memory holds one).
    fn bench_reopen(&mut self) {
        let mut paths = Vec::new();
        while let Some(i) = self
            .layers
            .as_slice()
            .iter()
            .position(|l| l.data.kind == LayerKind::Overlay && l.data.source.is_some())
        {
            let layer = self.layers.remove(i);
            paths.extend(layer.data.source.clone());
        }
        super::threads::return_freed_memory();
        self.ui.hover = None;
        self.ui.selected = None;
        for p in paths {
            self.start_load(p, false);
        }
    }

    /// Keys held since a click on the panels or Ctrl+F (`UiState::keys_wait`): egui has now seen
    /// what came before them. A text field with the focus has them (egui's own input holds them
    /// too); otherwise they are the map's.
    fn release_held_keys(&mut self) {
        if !std::mem::take(&mut self.ui.keys_wait) {
            return;
        }
        let held = std::mem::take(&mut self.ui.held_keys);
        if self.ctx.text_edit_focused() {
            return;
        }
        for (event, modifiers) in held {
            let now = std::mem::replace(&mut self.view.modifiers, modifiers);
            self.on_map_event(&event);
            self.view.modifiers = now;
        }
    }

    /// `--bench-frames`: moves the view on and keeps frames coming; prints and exits at the end.
    /// Whether it jumped to another view.
    fn bench_step(&mut self, event_loop: &ActiveEventLoop) -> bool {
        let loading = (!self.files.loading.is_empty(), self.settled());
        let full = self
            .layers
            .overlay_bounds()
            .map(|b| self.fit_camera(b))
            .unwrap_or_else(|| self.home_camera());
        let drawn: u64 = self
            .layers
            .iter()
            .filter(|l| l.gpu.visible)
            .map(|l| {
                l.drawn_at(&self.view.camera)
                    .mesh
                    .visible_triangles(&self.view.camera)
            })
            .sum();
        let exact =
            self.stats.levels_exact && self.win.as_ref().is_some_and(|w| w.gfx.last_map.is_exact());
        let Some(bench) = &mut self.stats.bench else {
            return false;
        };
        let drew = self.win.as_ref().map_or(0, |w| w.gfx.drawn_triangles());
        let mut jumped = false;
        match bench.frame_done(&mut self.view.camera, loading, full, (drawn, drew), exact) {
            bench::Step::Continue => {}
            bench::Step::Jump(c) => {
                self.view.nav.stop();
                self.view.camera = c;
                self.ui.hover = None;
                self.refresh_highlight();
                jumped = true;
            }
            bench::Step::Hover(k) => {
                let biggest = (0..self.layers.len())
                    .filter(|&i| self.layers.as_slice()[i].data.kind == LayerKind::Overlay)
                    .max_by_key(|&i| self.layers.as_slice()[i].data.features.len());
                self.ui.hover = biggest.and_then(|i| {
                    let n = self.layers.as_slice()[i].data.features.len() as u32;
                    (n > 0).then(|| (i, k % n))
                });
                self.refresh_highlight();
            }
            // Frames come as the window asks for them.
            bench::Step::Wait => return false,
            bench::Step::Reopen => self.bench_reopen(),
            bench::Step::Finish => {
                let overlays = || self.layers.overlays().map(|l| &l.data);
                let input = overlays()
                    .flat_map(|l| l.projected.iter().flatten())
                    .map(geo::CoordsIter::coords_count)
                    .sum::<usize>() as u64;
                // The CPU meshes are gone once uploaded; the buffers say the size (a heavy
                // layer's: every level made, see `lod`).
                let mesh = self
                    .layers
                    .overlays()
                    .map(|l| {
                        l.gpu.vertex_count()
                            + l.lods.iter().map(|v| v.mesh.vertex_count()).sum::<u64>()
                    })
                    .sum::<u64>();
                println!("{}", bench.report(input, mesh));
                event_loop.exit();
                return false;
            }
        }
        self.request_redraw();
        jumped
    }
}

/// Where a saved view goes: `--screenshot FILE` as given; otherwise a new
/// `borderlens-YYYYMMDD-HHMMSS.png` (with `-2`, `-3`... within the same second) in the
/// `--screenshot` folder, the pictures folder, or the current folder.
fn screenshot_path(arg: Option<&Path>) -> PathBuf {
    if let Some(p) = arg.filter(|p| !p.is_dir()) {
        return p.to_path_buf();
    }
    let dir = arg
        .map(Path::to_path_buf)
        .or_else(pictures_dir)
        .unwrap_or_default();
    let stamp = jiff::ZonedDateTime::now()
        .strftime("%Y%m%d-%H%M%S")
        .to_string();
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("borderlens-{stamp}.png")),
            n => dir.join(format!("borderlens-{stamp}-{n}.png")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// `$XDG_PICTURES_DIR`, or `~/Pictures` when it exists.
fn pictures_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_PICTURES_DIR").map(PathBuf::from);
    let home = std::env::var_os("HOME").map(|h| PathBuf::from(h).join("Pictures"));
    xdg.into_iter().chain(home).find(|d| d.is_dir())
}

/// Test hook: each frame takes this much longer (`BORDERLENS_FRAME_DELAY_MS`), as on a slow
/// machine, so that a window test can send input while a frame is drawn.
fn frame_delay() -> Option<Duration> {
    static DELAY: std::sync::OnceLock<Option<Duration>> = std::sync::OnceLock::new();
    *DELAY.get_or_init(|| crate::hooks::millis("BORDERLENS_FRAME_DELAY_MS"))
}

/// How long the spinner waits between redraws after a frame that took `frame_ms`.
fn spinner_pace(frame_ms: f64) -> Duration {
    let (fastest, slowest) = SPINNER_PACE;
    Duration::from_secs_f64((frame_ms.max(0.0) / 1000.0 / SPINNER_SHARE).min(3600.0))
        .clamp(fastest, slowest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spinner_takes_a_tenth_of_the_time_between_5_redraws_a_second_and_one_in_2_s() {
        let ms = |d: Duration| d.as_millis();
        assert_eq!(
            ms(spinner_pace(1.0)),
            200,
            "a GPU's frames: the fastest pace"
        );
        assert_eq!(ms(spinner_pace(50.0)), 500);
        assert_eq!(ms(spinner_pace(120.0)), 1200, "a software rasterizer's");
        assert_eq!(ms(spinner_pace(900.0)), 2000, "never slower than this");
        assert_eq!(ms(spinner_pace(f64::NAN)), 200);
        assert_eq!(ms(spinner_pace(f64::INFINITY)), 2000);
    }
}
