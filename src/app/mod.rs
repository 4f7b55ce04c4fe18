//! The desktop viewer: a winit window drawing the map through the shared `gpu::Renderer`, egui
//! panels over it, navigation, hover and selection, and files loaded and reloaded while it runs.
//!
//! Frames are drawn only when something changed (input, a loaded file, an animation), so an idle
//! window costs no CPU. egui gets every event first; pointer events then go to the map when the
//! pointer is over the map's free area (egui's own answer lags a frame behind the pointer), keys
//! when egui did not consume them.
//!
//! Modules: `gfx` (surface, frame, readback), `nav` (pan, inertia, animated zoom), `hit` (R-tree
//! hit testing), `lod` (simplified copies of heavy overlays), `files` (loading thread, watching,
//! open dialog, recent files), `panels` (egui), `dump` (`BORDERLENS_FRAME_DUMP` frame hooks).

mod bench;
mod dump;
mod files;
mod gfx;
mod nav;
pub mod ui;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use geo::Rect;
use winit::application::ApplicationHandler;
use winit::event::{ElementState, MouseButton, MouseScrollDelta, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::keyboard::{Key, ModifiersState, NamedKey};
use winit::window::{Window, WindowId};

use crate::cli::ViewArgs;
use crate::gpu::GpuLayer;
use crate::map::camera::Camera;
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::project::Projection;
use crate::map::Map;

use crate::map::hit::HitIndex;
use crate::map::lod;
use files::{Loaded, Recent, UserEvent, Watcher};
use gfx::{FrameOutcome, Gfx};
use nav::{Nav, Release};
use ui::{Action, LegendEntry, Toast};

/// How long a toast stays.
const TOAST_TIME: Duration = Duration::from_secs(6);
const ERROR_TOAST_TIME: Duration = Duration::from_secs(12);
/// Zoom per wheel event (xdotool and most mice give one or two events per notch).
const WHEEL_STEP: f64 = 1.2;
/// Padding around fitted views, logical px.
const FIT_PADDING: f64 = 24.0;

/// A map layer's window-side companions, parallel to `Map::layers`.
struct Slot {
    /// Stable id, for the selection across reorders.
    uid: u64,
    gpu: GpuLayer,
    hit: HitIndex,
    legend: Vec<LegendEntry>,
    /// Simplified copies of a heavy layer, coarsest first (see `lod`).
    lods: Vec<lod::Level<GpuLayer>>,
    /// The file's watch key (canonical folder + name), for overlays from files.
    key: Option<PathBuf>,
}

impl Slot {
    /// Gives the simplified copies the full layer's visibility, opacity and highlights.
    fn sync_lods(&mut self) {
        for l in &mut self.lods {
            l.mesh.visible = self.gpu.visible;
            l.mesh.state = self.gpu.state;
        }
    }

    /// The copy to draw at `scale` physical px per km.
    fn drawn(&self, scale: f64) -> &GpuLayer {
        if lod::disabled() {
            return &self.gpu;
        }
        match lod::choose(self.lods.iter().map(|l| l.tolerance_km), scale) {
            Some(i) => &self.lods[i].mesh,
            None => &self.gpu,
        }
    }
}

struct Win {
    gfx: Gfx,
    egui: egui_winit::State,
}

struct App {
    args: ViewArgs,
    proxy: EventLoopProxy<UserEvent>,
    projection: Projection,
    started: Instant,
    map_job: Option<std::thread::JoinHandle<Map>>,
    map: Map,
    slots: Vec<Slot>,
    next_uid: u64,
    win: Option<Win>,
    ctx: egui::Context,
    camera: Camera,
    nav: Nav,
    /// Physical px.
    cursor: Option<[f64; 2]>,
    modifiers: ModifiersState,
    hover: Option<(usize, u32)>,
    selected: Option<(u64, u32)>,
    toasts: Vec<Toast>,
    last_toast: Option<(String, bool)>,
    loading: Vec<(PathBuf, Instant)>,
    drop_hover: bool,
    /// Files whose first load failed, watched so that a fixed version loads.
    failed: std::collections::HashSet<PathBuf>,
    watcher: Watcher,
    recent: Recent,
    dump: Option<dump::Dump>,
    frame_no: u64,
    frame_ms: f64,
    want_shot: bool,
    panel_open: bool,
    /// The map's free area (not under panels), physical px, as of the last frame.
    map_rect: [f64; 4],
    /// Named controls' rectangles (physical px) of the last frame, for the frame dump.
    controls: Vec<(String, [f32; 4])>,
    /// First frame not drawn yet: the camera is fitted to the home view then.
    first: bool,
    fatal: Option<anyhow::Error>,
    /// egui asked to be redrawn at this time (tooltips, spinners).
    egui_wake: Option<Instant>,
    /// The article layer whose text the article panel shows (by uid), and its view.
    article: Option<(u64, crate::app::ui::article::ArticleView)>,
    /// An article just opened: fit the view to what it is about once its panel has taken its place.
    pending_fit: Option<u64>,
    /// `--bench-frames`: the frame-time measurement in progress.
    bench: Option<bench::FrameBench>,
    /// The camera of the last frame: a different one now means the view is moving.
    last_camera: Option<Camera>,
    /// How long the last frame that drew the map took, ms.
    map_frame_ms: f64,
}

/// A map that takes longer than this to draw (ms, whole frame) is not redrawn during a pan or
/// zoom: the window shows its last image moved, and draws it exactly once the view rests.
const MOVE_CACHE_ABOVE_MS: f64 = 20.0;
/// How often the window redraws for its loading spinner alone (input redraws at once).
const LOADING_REPAINT: Duration = Duration::from_millis(200);

pub fn run(args: ViewArgs) -> Result<()> {
    let started = Instant::now();
    let projection = Projection::new(args.projection);
    // The base map is built while the window and device come up.
    let map_job = std::thread::Builder::new()
        .name("basemap".into())
        .spawn(move || Map::new(projection, true))
        .context("cannot start a thread")?;
    let event_loop = EventLoop::<UserEvent>::with_user_event()
        .build()
        .context("cannot open a window: no display (is DISPLAY or WAYLAND_DISPLAY set?)")?;
    event_loop.set_control_flow(ControlFlow::Wait);
    let proxy = event_loop.create_proxy();
    let mut app = App {
        watcher: Watcher::new(proxy.clone()),
        proxy,
        projection,
        started,
        map_job: Some(map_job),
        map: Map::new(projection, false),
        slots: Vec::new(),
        next_uid: 1,
        win: None,
        ctx: egui::Context::default(),
        camera: Camera::new([args.size[0], args.size[1]], 1.0),
        nav: Nav::default(),
        cursor: None,
        modifiers: ModifiersState::empty(),
        hover: None,
        selected: None,
        toasts: Vec::new(),
        last_toast: None,
        loading: Vec::new(),
        drop_hover: false,
        failed: Default::default(),
        recent: Recent::load(),
        dump: dump::Dump::from_env(),
        frame_no: 0,
        frame_ms: 0.0,
        want_shot: false,
        panel_open: true,
        map_rect: [0.0; 4],
        controls: Vec::new(),
        first: true,
        fatal: None,
        egui_wake: None,
        article: None,
        pending_fit: None,
        bench: args.bench_frames.map(bench::FrameBench::new),
        last_camera: None,
        map_frame_ms: 0.0,
        args,
    };
    event_loop
        .run_app(&mut app)
        .context("the window's event loop failed")?;
    match app.fatal.take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl App {
    fn toast(&mut self, text: impl Into<String>, error: bool) {
        let text = text.into();
        if error {
            log::warn!("{text}");
        } else {
            log::info!("{text}");
        }
        let until = Instant::now() + if error { ERROR_TOAST_TIME } else { TOAST_TIME };
        self.last_toast = Some((text.clone(), error));
        self.toasts.push(Toast { text, error, until });
        if self.toasts.len() > 8 {
            self.toasts.remove(0);
        }
        self.request_redraw();
    }

    fn request_redraw(&self) {
        if let Some(w) = &self.win {
            w.gfx.window.request_redraw();
        }
    }

    fn pixel_ratio(&self) -> f64 {
        self.camera.pixel_ratio as f64
    }

    /// The map's free area for a window size, physical px: left panel and status bar excluded.
    fn free_rect(&self, size: [u32; 2]) -> [f64; 4] {
        let r = self.pixel_ratio();
        let left = if self.panel_open {
            ui::PANEL_WIDTH as f64 * r
        } else {
            0.0
        };
        let bottom = ui::STATUS_HEIGHT as f64 * r;
        [
            left.min(size[0] as f64 - 1.0),
            0.0,
            size[0] as f64,
            (size[1] as f64 - bottom).max(1.0),
        ]
    }

    /// A camera showing `bounds` whole in the free area: the last frame's, or the one the
    /// panels will leave.
    fn fit_camera(&self, bounds: Rect<f64>) -> Camera {
        let mut c = self.camera;
        let m = self.map_rect;
        let fits = m[2] > m[0]
            && m[3] > m[1]
            && m[2] <= c.size[0] as f64 + 0.5
            && m[3] <= c.size[1] as f64 + 0.5;
        let [x0, y0, x1, y1] = if fits { m } else { self.free_rect(c.size) };
        let pad = FIT_PADDING * self.pixel_ratio();
        let (w, h) = (
            (x1 - x0 - 2.0 * pad).max(1.0),
            (y1 - y0 - 2.0 * pad).max(1.0),
        );
        c.scale = (w / bounds.width().max(1e-6))
            .min(h / bounds.height().max(1e-6))
            .clamp(c.min_scale, c.max_scale);
        // Centre the bounds on the free area's centre.
        let bc = bounds.center();
        let fc = [(x0 + x1) / 2.0, (y0 + y1) / 2.0];
        c.center = [
            bc.x - (fc[0] - c.size[0] as f64 / 2.0) / c.scale,
            bc.y + (fc[1] - c.size[1] as f64 / 2.0) / c.scale,
        ];
        c
    }

    fn home_camera(&self) -> Camera {
        self.fit_camera(self.map.home_bounds())
    }

    fn fly_to(&mut self, to: Camera) {
        self.nav
            .animate(self.camera, to, nav::FLY_ANIM, Instant::now());
        self.request_redraw();
    }

    fn upload(
        &mut self,
        layer: &MapLayer,
        hit: HitIndex,
        legend: Vec<LegendEntry>,
        meshes: files::Meshes,
    ) -> Result<Slot, String> {
        let gfx = &self
            .win
            .as_ref()
            .ok_or_else(|| "the window is not open".to_string())?
            .gfx;
        let (gpu, lods) = match meshes {
            files::Meshes::Uploaded(gpu, lods) => (gpu, lods),
            files::Meshes::Cpu(lods) => {
                files::upload(&gfx.renderer.uploader(&gfx.gpu.device), layer, lods)?
            }
        };
        let slot = Slot {
            uid: self.next_uid,
            gpu,
            hit,
            legend,
            lods,
            key: layer.source.as_deref().and_then(files::watch_key),
        };
        self.next_uid += 1;
        Ok(slot)
    }

    fn start_load(&mut self, path: PathBuf, reload: bool) {
        if !reload {
            self.loading.push((path.clone(), Instant::now()));
        }
        let uploader = self
            .win
            .as_ref()
            .map(|w| w.gfx.renderer.uploader(&w.gfx.gpu.device));
        files::spawn_load(
            self.proxy.clone(),
            path,
            self.projection,
            self.args.max_size,
            reload,
            uploader,
        );
        self.request_redraw();
    }

    fn on_loaded(&mut self, l: Loaded) {
        if let Some(i) = self.loading.iter().position(|p| p.0 == l.path) {
            self.loading.remove(i);
        }
        let key = files::watch_key(&l.path);
        let existing = key
            .as_ref()
            .and_then(|k| self.slots.iter().position(|s| s.key.as_ref() == Some(k)));
        if l.reload && existing.is_none() {
            // Removed while it reloaded.
            return;
        }
        let (layer, hit, legend, lods) = match l.result {
            Ok(loaded) => loaded,
            Err(e) => {
                let prefix = if existing.is_some() {
                    "Reload failed; the previous version stays. "
                } else {
                    // Watched all the same: once fixed on disk, it loads.
                    if let Some(k) = self.watcher.watch(&l.path) {
                        self.failed.insert(k);
                    }
                    ""
                };
                self.toast(format!("{prefix}{e}"), true);
                return;
            }
        };
        if let Some(k) = &key {
            self.failed.remove(k);
        }
        let mut slot = match self.upload(&layer, hit, legend, lods) {
            Ok(slot) => slot,
            Err(e) => {
                // Whatever was shown stays.
                self.toast(e, true);
                return;
            }
        };
        let name = layer.name.clone();
        let (features, warnings) = (layer.features.len(), layer.warnings.len());
        match existing {
            Some(i) => {
                // Replace in place: keep position, visibility and opacity.
                let old = &self.slots[i];
                slot.gpu.visible = old.gpu.visible;
                slot.gpu.set_opacity(old.gpu.state.opacity);
                if let Some((uid, f)) = self.selected {
                    if uid == old.uid && (f as usize) < layer.features.len() {
                        self.selected = Some((slot.uid, f));
                    } else if uid == old.uid {
                        self.selected = None;
                    }
                }
                let uid = slot.uid;
                let was_shown = self
                    .article
                    .as_ref()
                    .is_some_and(|a| a.0 == self.slots[i].uid);
                self.map.layers[i] = layer;
                self.slots[i] = slot;
                if was_shown {
                    self.show_article(i);
                    debug_assert_eq!(self.article.as_ref().map(|a| a.0), Some(uid));
                }
                self.hover = None;
                self.toast(
                    format!("Reloaded {name}: {features} features, {warnings} warnings"),
                    false,
                );
            }
            None => {
                if let Some(k) = &slot.key {
                    self.watcher.watch(k);
                }
                if !l.path.as_os_str().is_empty() {
                    self.recent.add(&l.path);
                }
                let at = self.map.add_overlay(layer);
                self.slots.insert(at, slot);
                self.hover = None;
                if self.map.layers[at].article.is_some() {
                    self.show_article(at);
                    self.pending_fit = Some(self.slots[at].uid);
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
    }

    /// Shows the text of the article layer at `i` in the article panel.
    fn show_article(&mut self, i: usize) {
        let view = self
            .map
            .layers
            .get(i)
            .and_then(crate::app::ui::article::ArticleView::from_layer);
        self.article = view.map(|v| (self.slots[i].uid, v));
    }

    fn layer_index(&self, uid: u64) -> Option<usize> {
        self.slots.iter().position(|s| s.uid == uid)
    }

    /// Pushes hover and selection into the layers' GPU state.
    fn refresh_highlight(&mut self) {
        let sel = self
            .selected
            .and_then(|(uid, f)| Some((self.layer_index(uid)?, f)));
        for (i, s) in self.slots.iter_mut().enumerate() {
            s.gpu
                .set_hovered(self.hover.filter(|h| h.0 == i).map(|h| h.1));
            s.gpu.set_selected(sel.filter(|h| h.0 == i).map(|h| h.1));
        }
    }

    /// The feature under a screen point (physical px), topmost visible layer first.
    fn pick(&self, p: [f64; 2]) -> Option<(usize, u32)> {
        let w = self.camera.screen_to_world(p);
        let logical_scale = self.camera.scale / self.pixel_ratio();
        for (i, (layer, slot)) in self.map.layers.iter().zip(&self.slots).enumerate().rev() {
            if !slot.gpu.visible || slot.gpu.state.opacity <= 0.0 || layer.kind == LayerKind::Seas {
                continue;
            }
            if let Some(f) = slot.hit.pick(layer, w, logical_scale) {
                return Some((i, f));
            }
        }
        None
    }

    /// Whether a window point (physical px) is over egui rather than the map. Decided from the
    /// point itself and the last frame's layout: egui's own answer lags one frame behind the pointer.
    fn over_ui(&self, p: [f64; 2]) -> bool {
        let [x0, y0, x1, y1] = self.map_rect;
        if x1 > x0 && !(p[0] >= x0 && p[0] < x1 && p[1] >= y0 && p[1] < y1) {
            return true;
        }
        let ppp = self.ctx.pixels_per_point() as f64;
        let pos = egui::pos2((p[0] / ppp) as f32, (p[1] / ppp) as f32);
        self.ctx
            .layer_id_at(pos)
            .is_some_and(|l| l.order != egui::Order::Background && l.order != egui::Order::Tooltip)
    }

    fn update_hover(&mut self) {
        let over_ui = self.cursor.is_some_and(|p| self.over_ui(p));
        let h = match self.cursor {
            Some(p) if !over_ui && !self.nav.is_dragging() => self.pick(p),
            _ => None,
        };
        if h != self.hover {
            self.hover = h;
            self.refresh_highlight();
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::SetVisible(i, v) => {
                if let Some(s) = self.slots.get_mut(i) {
                    s.gpu.visible = v;
                }
            }
            Action::SetOpacity(i, o) => {
                if let Some(s) = self.slots.get_mut(i) {
                    s.gpu.set_opacity(o);
                }
            }
            Action::Raise(i) if i + 1 < self.slots.len() => {
                self.map.layers.swap(i, i + 1);
                self.slots.swap(i, i + 1);
                self.hover = None;
            }
            Action::Lower(i) if i > 0 && i < self.slots.len() => {
                self.map.layers.swap(i, i - 1);
                self.slots.swap(i, i - 1);
                self.hover = None;
            }
            Action::Raise(_) | Action::Lower(_) => {}
            Action::ZoomTo(i) => {
                if let Some(b) = self.map.layers.get(i).and_then(|l| l.bounds) {
                    let to = self.fit_camera(b);
                    self.fly_to(to);
                }
            }
            Action::Remove(i) => {
                if i < self.slots.len() && self.map.layers[i].kind == LayerKind::Overlay {
                    let layer = self.map.layers.remove(i);
                    let slot = self.slots.remove(i);
                    if let Some(k) = &slot.key {
                        self.watcher.unwatch(k);
                    }
                    if self.selected.is_some_and(|(u, _)| u == slot.uid) {
                        self.selected = None;
                    }
                    self.hover = None;
                    self.toast(format!("Removed {}", layer.name), false);
                }
            }
            Action::Open => files::spawn_dialog(self.proxy.clone()),
            Action::OpenPath(p) => self.start_load(p, false),
            Action::Home => {
                let to = self.home_camera();
                self.fly_to(to);
            }
            Action::ClearSelection => self.selected = None,
            Action::Screenshot => self.want_shot = true,
            Action::TogglePanel => self.panel_open = !self.panel_open,
            Action::ShowArticle(i) => self.show_article(i),
            Action::HoverEntity(i, f) => self.hover = (i < self.slots.len()).then_some((i, f)),
            Action::FlyToFeature(i, f) => {
                use geo::BoundingRect;
                let b = self
                    .map
                    .layers
                    .get(i)
                    .and_then(|l| l.projected.get(f as usize)?.as_ref()?.bounding_rect());
                if let Some(b) = b {
                    // A place is a point: show 60 km around it.
                    let r = 30.0_f64.max(b.width().max(b.height()) * 0.1);
                    let b = Rect::new(
                        geo::coord! {x: b.min().x - r, y: b.min().y - r},
                        geo::coord! {x: b.max().x + r, y: b.max().y + r},
                    );
                    let to = self.fit_camera(b);
                    self.fly_to(to);
                    self.selected = Some((self.slots[i].uid, f));
                }
            }
        }
        self.refresh_highlight();
        self.request_redraw();
    }

    fn on_key(&mut self, key: &Key, event_loop: &ActiveEventLoop) {
        let _ = event_loop;
        let ctrl = self.modifiers.control_key();
        let now = Instant::now();
        let center = [
            self.camera.size[0] as f64 / 2.0,
            self.camera.size[1] as f64 / 2.0,
        ];
        let pan = 120.0 * self.pixel_ratio();
        match key {
            Key::Named(NamedKey::Escape) => self.apply(Action::ClearSelection),
            Key::Named(NamedKey::Home) => self.apply(Action::Home),
            Key::Named(NamedKey::F12) => self.apply(Action::Screenshot),
            Key::Named(NamedKey::ArrowLeft) => self.pan_animated(pan, 0.0),
            Key::Named(NamedKey::ArrowRight) => self.pan_animated(-pan, 0.0),
            Key::Named(NamedKey::ArrowUp) => self.pan_animated(0.0, pan),
            Key::Named(NamedKey::ArrowDown) => self.pan_animated(0.0, -pan),
            Key::Character(c) => match (c.as_str(), ctrl) {
                ("s" | "S", true) => self.apply(Action::Screenshot),
                ("o" | "O", true) => self.apply(Action::Open),
                ("0", false) => self.apply(Action::Home),
                ("l" | "L", false) => self.apply(Action::TogglePanel),
                ("f" | "F", false) => {
                    // Fit the loaded files (the home view when there are none).
                    let to = match self.map.overlay_bounds() {
                        Some(b) => self.fit_camera(b),
                        None => self.home_camera(),
                    };
                    self.fly_to(to);
                }
                ("+" | "=", false) => {
                    self.nav.zoom(&self.camera, center, 2.0, now);
                    self.request_redraw();
                }
                ("-" | "_", false) => {
                    self.nav.zoom(&self.camera, center, 0.5, now);
                    self.request_redraw();
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn pan_animated(&mut self, dx: f64, dy: f64) {
        let mut to = self.nav.target(&self.camera);
        to.pan_pixels(dx, dy);
        self.nav
            .animate(self.camera, to, nav::ZOOM_ANIM, Instant::now());
        self.request_redraw();
    }

    fn on_map_event(&mut self, event: &WindowEvent, event_loop: &ActiveEventLoop) {
        let now = Instant::now();
        match event {
            WindowEvent::MouseInput {
                state: ElementState::Pressed,
                button: MouseButton::Left,
                ..
            } => {
                if let Some(p) = self.cursor {
                    let over = self.over_ui(p);
                    log::debug!("press at {p:?}: over the UI {over}");
                    if !over {
                        self.nav.press(p, now);
                    }
                }
            }
            WindowEvent::MouseInput {
                state: ElementState::Released,
                button: MouseButton::Left,
                ..
            } => {
                let Some(p) = self.cursor else {
                    self.nav.release([0.0, 0.0], now);
                    return;
                };
                match self.nav.release(p, now) {
                    Release::Click(p) => {
                        self.selected = self.pick(p).map(|(i, f)| (self.slots[i].uid, f));
                        self.refresh_highlight();
                    }
                    Release::DoubleClick(p) => self.nav.zoom(&self.camera, p, 2.0, now),
                    Release::DragEnd | Release::Nothing => {}
                }
                self.request_redraw();
            }
            WindowEvent::MouseWheel { delta, .. } => {
                if self.cursor.is_some_and(|p| self.over_ui(p)) {
                    return;
                }
                let anchor = self.cursor.unwrap_or([
                    self.camera.size[0] as f64 / 2.0,
                    self.camera.size[1] as f64 / 2.0,
                ]);
                let factor = match delta {
                    MouseScrollDelta::LineDelta(_, y) => WHEEL_STEP.powf(*y as f64),
                    MouseScrollDelta::PixelDelta(p) => (p.y * 0.004).exp(),
                };
                if (factor - 1.0).abs() > 1e-9 {
                    self.nav.zoom(&self.camera, anchor, factor, now);
                    self.request_redraw();
                }
            }
            WindowEvent::PinchGesture { delta, .. } => {
                if let Some(p) = self.cursor {
                    self.nav.stop();
                    self.camera.zoom_about(p, 1.0 + delta);
                    self.request_redraw();
                }
            }
            WindowEvent::DoubleTapGesture { .. } => {
                if let Some(p) = self.cursor {
                    self.nav.zoom(&self.camera, p, 2.0, now);
                    self.request_redraw();
                }
            }
            WindowEvent::KeyboardInput { event, .. } if event.state == ElementState::Pressed => {
                self.on_key(&event.logical_key, event_loop);
            }
            _ => {}
        }
    }

    fn redraw(&mut self, event_loop: &ActiveEventLoop) {
        let frame_start = Instant::now();
        let now = frame_start;
        if self.win.is_none() {
            return;
        }
        if let Some(b) = &mut self.bench {
            b.frame_started(frame_start);
        }
        if self.first {
            self.camera = self.home_camera();
            self.first = false;
        }
        self.nav.tick(now, &mut self.camera);
        self.toasts.retain(|t| t.until > now);
        // Hover waits until the view rests: a highlight that changes under a moving map would
        // also make every frame of a pan draw the map in full (see `gpu::cache`).
        if self.last_camera.is_none_or(|c| c == self.camera) {
            self.update_hover();
        }
        let t_hover = frame_start.elapsed();

        let win = self.win.as_mut().expect("checked above");
        let raw = win.egui.take_egui_input(&win.gfx.window);
        let ppp = self.ctx.pixels_per_point();
        let sel = self
            .selected
            .and_then(|(uid, f)| Some((self.slots.iter().position(|s| s.uid == uid)?, f)));
        let adapter = win.gfx.describe();
        let model = ui::Model {
            map: &self.map,
            layers: self
                .map
                .layers
                .iter()
                .zip(&self.slots)
                .map(|(layer, s)| ui::LayerView {
                    layer,
                    visible: s.gpu.visible,
                    opacity: s.gpu.state.opacity,
                    legend: &s.legend,
                })
                .collect(),
            camera: &self.camera,
            pointer: self
                .cursor
                .map(|p| egui::pos2((p[0] / ppp as f64) as f32, (p[1] / ppp as f64) as f32)),
            hover: self.hover,
            selected: sel,
            dragging: self.nav.is_dragging(),
            toasts: &self.toasts,
            loading: &self.loading,
            drawing: self.refining(),
            drop_hover: self.drop_hover,
            recent: &self.recent.files,
            frame_ms: self.frame_ms,
            panel_open: self.panel_open,
            adapter: &adapter,
            clean: self.want_shot,
            articles: {
                let mut v: Vec<(usize, String, Option<String>)> = self
                    .map
                    .layers
                    .iter()
                    .enumerate()
                    .filter_map(|(i, l)| {
                        let a = l.article.as_deref()?;
                        Some((i, l.name.clone(), a.article.date.clone()))
                    })
                    .collect();
                v.sort_by(|a, b| b.2.cmp(&a.2));
                v
            },
            article: self
                .article
                .as_ref()
                .and_then(|(uid, v)| Some((self.slots.iter().position(|s| s.uid == *uid)?, v))),
        };
        let visible: Vec<bool> = self
            .slots
            .iter()
            .map(|s| s.gpu.visible && s.gpu.state.opacity > 0.0)
            .collect();
        // Labels go where the panels of the last frame left the map free.
        let r = self.map_rect;
        let area = if r[2] > r[0] && r[3] > r[1] {
            [r[0] as f32, r[1] as f32, r[2] as f32, r[3] as f32]
        } else {
            [
                0.0,
                0.0,
                self.camera.size[0] as f32,
                self.camera.size[1] as f32,
            ]
        };
        let labels =
            crate::map::labels::place_labels_within(&self.map.layers, &self.camera, &visible, area);
        let t_labels = frame_start.elapsed();
        let mut shown = ui::Output::default();
        let out = self.ctx.run_ui(raw, |ui| {
            // Labels sit on the background layer: over the map, under every panel.
            let painter = ui.ctx().layer_painter(egui::LayerId::background());
            crate::gpu::labels::paint_labels(&painter, &labels, ui.ctx().pixels_per_point());
            shown = ui::show(ui, &model);
        });
        drop(model);
        let win = self.win.as_mut().expect("checked above");
        win.egui
            .handle_platform_output(&win.gfx.window, out.platform_output);
        let ppp = out.pixels_per_point;
        let jobs = self.ctx.tessellate(out.shapes, ppp);
        let mut textures = out.textures_delta;
        let t_ui = frame_start.elapsed();
        let free = shown.free;
        self.controls = shown
            .controls
            .iter()
            .map(|(n, r)| {
                (
                    n.clone(),
                    [r.min.x * ppp, r.min.y * ppp, r.max.x * ppp, r.max.y * ppp],
                )
            })
            .collect();
        self.map_rect = [
            (free.min.x * ppp) as f64,
            (free.min.y * ppp) as f64,
            (free.max.x * ppp) as f64,
            (free.max.y * ppp) as f64,
        ];
        if let Some(uid) = self.pending_fit.take() {
            let focus = self
                .layer_index(uid)
                .and_then(|i| crate::map::overlay::article_focus(&self.map.layers[i]));
            if let Some(b) = focus {
                let (dx, dy) = (b.width() * 0.15, b.height() * 0.15);
                let b = Rect::new(
                    geo::coord! {x: b.min().x - dx, y: b.min().y - dy},
                    geo::coord! {x: b.max().x + dx, y: b.max().y + dy},
                );
                let to = self.fit_camera(b);
                self.fly_to(to);
            }
        }
        let win = self.win.as_mut().expect("checked above");
        let read_back = self.dump.is_some() || self.want_shot;
        let scale = self.camera.scale;
        for s in &mut self.slots {
            s.sync_lods();
        }
        let layers: Vec<&GpuLayer> = self.slots.iter().map(|s| s.drawn(scale)).collect();
        let fingerprint = {
            use std::hash::Hasher;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            for l in &layers {
                l.fingerprint(&mut h);
            }
            h.finish()
        };
        let moving = self.last_camera.is_some_and(|c| c != self.camera);
        let map = gfx::MapFrame {
            layers,
            fingerprint,
            may_move_cache: moving
                && self.map_frame_ms > MOVE_CACHE_ABOVE_MS
                && self.bench.as_ref().is_none_or(|b| b.may_move_cache()),
            progressive: self.bench.as_ref().is_none_or(|b| b.progressive()),
        };
        self.last_camera = Some(self.camera);
        let outcome = win
            .gfx
            .frame(&self.camera, &map, &jobs, &mut textures, ppp, read_back);
        let t_gpu = frame_start.elapsed();
        // egui's own repaint wishes (tooltips fading, spinners); its request in answer to the
        // redraw itself is not one of them (see STACK-NOTES).
        let delay = out
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.repaint_delay)
            .unwrap_or(Duration::MAX);
        // While files load, the spinner alone would redraw without pause, and on a software
        // rasterizer every frame costs a core's tens of milliseconds the load needs.
        let delay = if self.loading.is_empty() {
            delay
        } else {
            delay.max(LOADING_REPAINT)
        };
        self.egui_wake = (delay < Duration::from_secs(3600)).then(|| now + delay);
        match outcome {
            FrameOutcome::Retry => {
                win.gfx.window.request_redraw();
                return;
            }
            FrameOutcome::Skipped => return,
            FrameOutcome::Presented(image) => {
                self.frame_no += 1;
                if self.frame_no == 1 {
                    log::info!(
                        "first frame after {:.0} ms",
                        self.started.elapsed().as_secs_f64() * 1000.0
                    );
                    if std::env::var_os("BORDERLENS_EXIT_AFTER_FIRST_FRAME").is_some() {
                        eprintln!(
                            "first frame: {:.1} ms",
                            self.started.elapsed().as_secs_f64() * 1000.0
                        );
                        event_loop.exit();
                    }
                }
                if let Some(img) = image {
                    if self.want_shot {
                        self.want_shot = false;
                        self.save_screenshot(&img);
                    }
                    if let Some(d) = &self.dump {
                        d.write(&img, self.state());
                    }
                } else if self.want_shot {
                    self.want_shot = false;
                    self.toast(
                        "Cannot save the view: this graphics driver does not allow reading the window back; use `borderlens render`",
                        true,
                    );
                }
            }
        }
        for a in shown.actions {
            self.apply(a);
        }
        self.frame_ms = frame_start.elapsed().as_secs_f64() * 1000.0;
        if let Some(win) = &mut self.win {
            win.gfx.frame_took(self.frame_ms);
            match win.gfx.last_map {
                gfx::MapSource::Drawn => self.map_frame_ms = self.frame_ms,
                // The exact map follows once the view rests.
                gfx::MapSource::Moved => self.request_redraw(),
                gfx::MapSource::Refining => {
                    // A map that takes frames to draw is one to move while panning.
                    self.map_frame_ms = self.map_frame_ms.max(MOVE_CACHE_ABOVE_MS + 1.0);
                    self.request_redraw();
                }
                gfx::MapSource::Cached | gfx::MapSource::Refined => {}
            }
        }
        if self.bench.is_some() {
            self.bench_step(event_loop);
        }
        let drawn_mb: f64 = self
            .slots
            .iter()
            .filter(|s| s.gpu.visible)
            .map(|s| s.drawn(self.camera.scale).vertex_bytes() as f64 / 1e6)
            .sum();
        log::debug!(
            "frame {} ({drawn_mb:.1} MB of geometry, map {:?}) took {:.1} ms (hover {:.1}, labels {:.1}, ui {:.1}, gpu {:.1})",
            self.frame_no,
            self.win.as_ref().map(|w| w.gfx.last_map),
            self.frame_ms,
            t_hover.as_secs_f64() * 1000.0,
            (t_labels - t_hover).as_secs_f64() * 1000.0,
            (t_ui - t_labels).as_secs_f64() * 1000.0,
            (t_gpu - t_ui).as_secs_f64() * 1000.0
        );
        if self.nav.is_moving() {
            self.request_redraw();
        }
    }

    /// The last frame showed the old map image while the map is drawn over several frames.
    fn refining(&self) -> bool {
        self.win
            .as_ref()
            .is_some_and(|w| w.gfx.last_map == gfx::MapSource::Refining)
    }

    /// Saves the map's free area of the frame (map and labels, no panels).
    fn save_screenshot(&mut self, img: &image::RgbaImage) {
        let [x0, y0, x1, y1] = self.map_rect.map(|v| v.round().max(0.0) as u32);
        let (x1, y1) = (x1.min(img.width()), y1.min(img.height()));
        let img = if x1 > x0 && y1 > y0 {
            image::imageops::crop_imm(img, x0, y0, x1 - x0, y1 - y0).to_image()
        } else {
            img.clone()
        };
        let img = &img;
        let path = self
            .args
            .screenshot
            .clone()
            .unwrap_or_else(|| PathBuf::from("borderlens-view.png"));
        match dump::save_png(img, &path) {
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

    fn state(&self) -> dump::State {
        let layers = self
            .map
            .layers
            .iter()
            .zip(&self.slots)
            .map(|(l, s)| dump::LayerState {
                name: l.name.clone(),
                kind: l.kind.key(),
                visible: s.gpu.visible,
                opacity: s.gpu.state.opacity,
                features: l.features.len(),
                warnings: l.warnings.len(),
                fill: l.features.first().map(|f| match l.kind {
                    LayerKind::Overlay => f.style.fill.hex(),
                    _ => {
                        let c = ui::linear_to_color(l.styles[0].fill);
                        format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
                    }
                }),
            })
            .collect();
        let name = |(i, f): (usize, u32)| {
            let l = self.map.layers.get(i)?;
            Some(format!(
                "{}/{}",
                l.name,
                l.features.get(f as usize)?.name().unwrap_or("?")
            ))
        };
        dump::State {
            frame: self.frame_no,
            presented_ms: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            png: String::new(),
            center: self.camera.center,
            scale: self.camera.scale,
            size: self.camera.size,
            pixel_ratio: self.camera.pixel_ratio,
            // A frame that showed the cached map moved is not the view at rest either.
            moving: self.nav.is_moving()
                || self
                    .win
                    .as_ref()
                    .is_some_and(|w| !w.gfx.last_map.is_exact()),
            refining: self.refining(),
            loading: self.loading.len(),
            layers,
            toast: self.last_toast.as_ref().map(|t| t.0.clone()),
            toast_error: self.last_toast.as_ref().is_some_and(|t| t.1),
            pointer: self.cursor,
            hovered: self.hover.and_then(name),
            selected: self
                .selected
                .and_then(|(u, f)| Some((self.layer_index(u)?, f)))
                .and_then(name),
            map_rect: self.map_rect.map(|v| v as f32),
            controls: self.controls.iter().cloned().collect(),
        }
    }

    fn init_window(&mut self, event_loop: &ActiveEventLoop) -> Result<()> {
        let attrs = Window::default_attributes()
            .with_title("borderlens")
            .with_inner_size(winit::dpi::LogicalSize::new(
                self.args.size[0] as f64,
                self.args.size[1] as f64,
            ))
            .with_min_inner_size(winit::dpi::LogicalSize::new(320.0, 240.0));
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .context("cannot create the window")?,
        );
        let gfx = Gfx::new(event_loop, window.clone())?;
        let egui = egui_winit::State::new(
            self.ctx.clone(),
            egui::ViewportId::ROOT,
            &window,
            Some(window.scale_factor() as f32),
            window.theme(),
            Some(gfx.max_texture_side()),
        );
        let size = window.inner_size();
        self.camera = Camera::new([size.width, size.height], window.scale_factor() as f32);
        self.win = Some(Win { gfx, egui });
        // The base map, built meanwhile.
        if let Some(job) = self.map_job.take() {
            self.map = job
                .join()
                .map_err(|_| anyhow::anyhow!("building the base map failed"))?;
        }
        let layers = std::mem::take(&mut self.map.layers);
        let slots: Vec<Slot> = layers
            .iter()
            .filter_map(|l| {
                let none = files::Meshes::Cpu(Vec::new());
                self.upload(l, HitIndex::build(l), ui::legend(l, 12), none)
                    .map_err(|e| log::error!("{e}"))
                    .ok()
            })
            .collect();
        self.map.layers = layers;
        self.slots = slots;
        for w in self
            .map
            .layers
            .iter()
            .flat_map(|l| l.warnings.iter().map(move |w| (l, w)))
        {
            log::debug!("{}: {}", w.0.name, w.1);
        }
        for f in self.args.files.clone() {
            self.start_load(f, false);
        }
        if self.args.files.is_empty() && !self.args.no_demo {
            // The demo: a sample article about the Iran–Azerbaijan border and its overlay.
            files::spawn_demo(self.proxy.clone(), self.projection);
        }
        window.request_redraw();
        Ok(())
    }

    /// `--bench-frames`: moves the view on and keeps frames coming; prints and exits at the end.
    fn bench_step(&mut self, event_loop: &ActiveEventLoop) {
        let loading = !self.loading.is_empty();
        let full = self
            .map
            .overlay_bounds()
            .map(|b| self.fit_camera(b))
            .unwrap_or_else(|| self.home_camera());
        let scale = self.camera.scale;
        let drawn: u64 = self
            .slots
            .iter()
            .filter(|s| s.gpu.visible)
            .map(|s| s.drawn(scale).visible_triangles(&self.camera))
            .sum();
        let exact = self.win.as_ref().is_some_and(|w| w.gfx.last_map.is_exact());
        let Some(bench) = &mut self.bench else { return };
        match bench.frame_done(&mut self.camera, loading, full, drawn, exact) {
            bench::Step::Continue => {}
            bench::Step::Jump(c) => {
                self.nav.stop();
                self.camera = c;
            }
            bench::Step::Finish => {
                let overlays = self.map.overlays();
                let input = overlays
                    .flat_map(|l| l.projected.iter().flatten())
                    .map(geo::CoordsIter::coords_count)
                    .sum::<usize>() as u64;
                // The CPU meshes are gone once uploaded; the full-detail buffers say the size.
                let mesh = self
                    .map
                    .layers
                    .iter()
                    .zip(&self.slots)
                    .filter(|(l, _)| l.kind == LayerKind::Overlay)
                    .map(|(_, s)| s.gpu.vertex_count())
                    .sum::<u64>();
                println!("{}", bench.report(input, mesh));
                event_loop.exit();
                return;
            }
        }
        self.request_redraw();
    }

    fn open_paths(&mut self, paths: Vec<PathBuf>) {
        for p in paths {
            self.start_load(p, false);
        }
    }
}

impl ApplicationHandler<UserEvent> for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.win.is_some() {
            return;
        }
        if let Err(e) = self.init_window(event_loop) {
            self.fatal = Some(e);
            event_loop.exit();
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: UserEvent) {
        match event {
            UserEvent::Loaded(l) => self.on_loaded(*l),
            UserEvent::Changed(key) => {
                if self.slots.iter().any(|s| s.key.as_ref() == Some(&key)) {
                    self.start_load(key, true);
                } else if self.failed.contains(&key) {
                    self.start_load(key, false);
                }
            }
            UserEvent::Picked(Ok(paths)) => self.open_paths(paths),
            UserEvent::Picked(Err(e)) => self.toast(e, true),
        }
        self.request_redraw();
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(win) = self.win.as_mut() else { return };
        if matches!(event, WindowEvent::RedrawRequested) {
            self.redraw(event_loop);
            return;
        }
        let response = win.egui.on_window_event(&win.gfx.window, &event);
        if response.repaint {
            win.gfx.window.request_redraw();
        }
        match &event {
            WindowEvent::CloseRequested => {
                event_loop.exit();
                return;
            }
            WindowEvent::Resized(size) => {
                win.gfx.resize([size.width, size.height]);
                let ratio = win.gfx.window.scale_factor() as f32;
                self.camera
                    .resize([size.width.max(1), size.height.max(1)], ratio);
                self.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { scale_factor, .. } => {
                let size = self.camera.size;
                self.camera.resize(size, *scale_factor as f32);
                self.request_redraw();
            }
            WindowEvent::ModifiersChanged(m) => self.modifiers = m.state(),
            WindowEvent::CursorMoved { position, .. } => {
                let p = [position.x, position.y];
                self.cursor = Some(p);
                if self.nav.motion(p, Instant::now(), &mut self.camera) {
                    self.request_redraw();
                }
                // The status bar shows the cursor's position: redraw.
                self.request_redraw();
            }
            WindowEvent::CursorLeft { .. } => {
                self.cursor = None;
                self.request_redraw();
            }
            WindowEvent::DroppedFile(path) => {
                self.drop_hover = false;
                self.start_load(path.clone(), false);
            }
            WindowEvent::HoveredFile(_) => {
                self.drop_hover = true;
                self.request_redraw();
            }
            WindowEvent::HoveredFileCancelled => {
                self.drop_hover = false;
                self.request_redraw();
            }
            _ => {}
        }
        // Pointer events go to the map by position (see `over_ui`; a release always ends a
        // drag); keys only when egui does not want them (a text field has focus).
        let pointer = matches!(
            event,
            WindowEvent::MouseInput { .. }
                | WindowEvent::MouseWheel { .. }
                | WindowEvent::PinchGesture { .. }
                | WindowEvent::DoubleTapGesture { .. }
        );
        if pointer || !response.consumed {
            self.on_map_event(&event, event_loop);
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let now = Instant::now();
        // Wake for egui's timers and for toasts to disappear.
        let mut wake = self.egui_wake;
        if let Some(t) = self.toasts.iter().map(|t| t.until).min() {
            wake = Some(wake.map_or(t, |w| w.min(t)));
        }
        match wake {
            Some(t) if t <= now => {
                self.egui_wake = None;
                self.request_redraw();
                event_loop.set_control_flow(ControlFlow::Wait);
            }
            Some(t) => event_loop.set_control_flow(ControlFlow::WaitUntil(t)),
            None => event_loop.set_control_flow(ControlFlow::Wait),
        }
    }
}
