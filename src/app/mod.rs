//! The desktop viewer: a winit window drawing the map through the shared `gpu::Renderer`, egui
//! panels over it, navigation, hover and selection, and files loaded and reloaded while it runs.
//!
//! Frames are drawn only when something changed (input, a loaded file, an animation), so an idle
//! window costs no CPU. egui gets every event first; pointer events then go to the map when the
//! pointer is over the map's free area (egui's own answer lags a frame behind the pointer), keys
//! when egui did not consume them.
//!
//! Modules: `state` (the App's parts), `layers` (each map layer with its GPU copy), `frame` (one
//! frame, step by step), `input` (pointer and keys on the map), `actions` (what the panels ask
//! for), `loaded` (files into layers), `gfx` (surface, frame, readback), `nav` (pan, inertia,
//! animated zoom), `files` (loading thread, watching, open dialog, recent files), `ui` (egui
//! panels), `dump` (`BORDERLENS_FRAME_DUMP` frame hooks), `bench` (`--bench-frames`).

mod actions;
pub mod archive;
mod bench;
mod dump;
mod events;
mod files;
mod frame;
mod gfx;
mod input;
mod layers;
mod levels;
mod loaded;
mod nav;
mod reproject;
mod state;
mod threads;
pub mod ui;
mod yielding;

use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context as _, Result};
use geo::Rect;
use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop};
use winit::window::{Window, WindowId};

use crate::cli::ViewArgs;
use crate::map::camera::Camera;
use crate::map::hit::HitIndex;
use crate::map::project::Projection;
use crate::map::Map;
use events::{Poster, UserEvent};
use files::{Recent, Watcher};
use gfx::Gfx;
use layers::Layers;
use state::{FileState, FrameStats, UiState, View};

/// Padding around fitted views, logical px.
const FIT_PADDING: f64 = 24.0;

struct Win {
    gfx: Gfx,
    egui: egui_winit::State,
}

struct App {
    args: ViewArgs,
    /// Callbacks for the threads' results (see `events`).
    post: Poster,
    projection: Projection,
    /// The base map, built on a thread while the window and device come up.
    map_job: Option<std::thread::JoinHandle<Map>>,
    layers: Layers,
    win: Option<Win>,
    ctx: egui::Context,
    view: View,
    ui: UiState,
    files: FileState,
    stats: FrameStats,
    fatal: Option<anyhow::Error>,
    /// Archive mode: a folder of many articles on a timeline (see `archive`).
    archive: Option<archive::ArchiveMode>,
}

pub fn run(args: ViewArgs) -> Result<()> {
    let started = Instant::now();
    threads::tune_allocator();
    let projection = Projection::new(args.projection);
    let map_job = std::thread::Builder::new()
        .name("basemap".into())
        .spawn(move || Map::new(projection, true))
        .context("cannot start a thread")?;
    // The files named are read, parsed and projected meanwhile too (folders are opened later).
    let prefetched = args
        .files
        .iter()
        .filter(|p| p.is_file())
        .filter_map(|p| {
            Some((
                p.clone(),
                files::prefetch(p.clone(), projection, args.max_size)?,
            ))
        })
        .collect();
    let event_loop = EventLoop::<UserEvent>::with_user_event()
        .build()
        .context("cannot open a window: no display (is DISPLAY or WAYLAND_DISPLAY set?)")?;
    event_loop.set_control_flow(ControlFlow::Wait);
    let post = Poster::new(event_loop.create_proxy());
    let mut app = App {
        files: FileState {
            loading: Vec::new(),
            failed: Default::default(),
            watcher: Watcher::new(post.changed()),
            recent: Recent::load(),
            prefetched,
        },
        post,
        projection,
        map_job: Some(map_job),
        layers: Layers::default(),
        win: None,
        ctx: crate::gpu::labels::egui_context(),
        view: View::new(Camera::new([args.size[0], args.size[1]], 1.0)),
        ui: UiState::new(),
        stats: FrameStats {
            started,
            frame_no: 0,
            frame_ms: 0.0,
            map_frame_ms: 0.0,
            levels_exact: true,
            bench: args
                .bench_frames
                .map(|n| bench::FrameBench::new(n, started)),
            dump: dump::Dump::from_env(),
        },
        fatal: None,
        archive: None,
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
        self.ui.toast(text, error);
        self.request_redraw();
    }

    fn request_redraw(&self) {
        if let Some(w) = &self.win {
            w.gfx.window.request_redraw();
        }
    }

    /// The map's free area for a window size before a frame has laid the panels out, physical
    /// px: left panel and status bar excluded.
    fn free_rect(&self, size: [u32; 2]) -> [f64; 4] {
        let r = self.view.pixel_ratio();
        let left = if self.ui.panels.layers_open {
            self.ui.panels.widths.layers as f64 * r
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
        let mut c = self.view.camera;
        let [x0, y0, x1, y1] = self
            .view
            .known_free_rect()
            .unwrap_or_else(|| self.free_rect(c.size));
        let pad = FIT_PADDING * self.view.pixel_ratio();
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
        let home = Map {
            projection: self.projection,
            layers: Vec::new(),
        }
        .home_bounds();
        self.fit_camera(home)
    }

    fn fly_to(&mut self, to: Camera) {
        self.view
            .nav
            .animate(self.view.camera, to, nav::FLY_ANIM, Instant::now());
        self.request_redraw();
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
        self.view.camera = Camera::new([size.width, size.height], window.scale_factor() as f32);
        self.win = Some(Win { gfx, egui });
        // The base map, built meanwhile.
        if let Some(job) = self.map_job.take() {
            let map = job
                .join()
                .map_err(|_| anyhow::anyhow!("building the base map failed"))?;
            for l in map.layers {
                for w in &l.warnings {
                    log::debug!("{}: {w}", l.name);
                }
                let loaded = files::LoadedLayer {
                    hit: HitIndex::build(&l),
                    legend: ui::legend(&l, 12),
                    meshes: files::Meshes::Cpu(None),
                    layer: l,
                };
                match self.make_layer(loaded) {
                    Ok(layer) => self.layers.push(layer),
                    Err(e) => log::error!("{e}"),
                }
            }
        }
        for f in self.args.files.clone() {
            self.start_load(f, false);
        }
        if self.args.files.is_empty() && !self.args.no_demo {
            // The demo: a sample article about the Iran–Azerbaijan border and its overlay.
            files::spawn_demo(self.post.loaded(), self.projection);
        }
        window.request_redraw();
        Ok(())
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
            UserEvent::Reprojected(r) => self.on_reprojected(*r),
            UserEvent::Level(l) => self.on_level(*l),
            UserEvent::Image(i) => self.on_image(*i),
            UserEvent::Archive(generation, e) => self.on_archive_event(generation, *e),
            UserEvent::Changed(key) => {
                if self.layers.index_of_key(&key).is_some() {
                    self.start_load(key, true);
                } else if self.files.failed.contains(&key) {
                    self.start_load(key, false);
                }
            }
            UserEvent::Picked(Ok(paths)) => {
                for p in paths {
                    self.start_load(p, false);
                }
            }
            UserEvent::Picked(Err(e)) => {
                // No dialog: a path field in the layers panel stands in.
                self.ui.panels.layers_open = true;
                self.ui.panels.path_field.get_or_insert_with(String::new);
                self.toast(
                    format!("{e}; type a path in the layers panel instead"),
                    true,
                );
            }
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
        if matches!(event, WindowEvent::CloseRequested) {
            event_loop.exit();
            return;
        }
        self.on_window_change(&event);
        if matches!(
            event,
            WindowEvent::KeyboardInput { .. }
                | WindowEvent::CursorMoved { .. }
                | WindowEvent::MouseInput { .. }
                | WindowEvent::MouseWheel { .. }
                | WindowEvent::PinchGesture { .. }
        ) {
            self.view.input_at = Instant::now();
            self.view.input.touch();
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
            if self.ui.keys_wait && matches!(event, WindowEvent::KeyboardInput { .. }) {
                // egui has not yet seen the click or the Ctrl+F before it (a slow frame): a
                // letter typed into the field that opens would be a map shortcut too.
                self.ui.held_keys.push((event, self.view.modifiers));
                self.request_redraw();
                return;
            }
            self.on_map_event(&event);
        }
        let released_over_ui = matches!(
            event,
            WindowEvent::MouseInput {
                state: winit::event::ElementState::Released,
                ..
            }
        ) && self.view.cursor.is_some_and(|p| self.over_ui(p));
        if released_over_ui || self.ui.panels.search_opened {
            self.ui.keys_wait = true;
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let now = Instant::now();
        // Wake for egui's timers, for toasts to disappear and for a pending click.
        let wake = [
            self.ui.egui_wake,
            self.ui.toasts.iter().map(|t| t.until).min(),
            self.view.pending_click.map(|c| c.1),
        ]
        .into_iter()
        .flatten()
        .min();
        match wake {
            Some(t) if t <= now => {
                self.ui.egui_wake = None;
                self.request_redraw();
                event_loop.set_control_flow(ControlFlow::Wait);
            }
            Some(t) => event_loop.set_control_flow(ControlFlow::WaitUntil(t)),
            None => event_loop.set_control_flow(ControlFlow::Wait),
        }
    }
}
