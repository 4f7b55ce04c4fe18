//! The viewer's state in named parts: the view (camera, navigation, pointer), the UI state
//! (hover, selection, panels, toasts), the files (loading, watching, recent) and frame counters.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use winit::keyboard::ModifiersState;

use super::bench::FrameBench;
use super::dump::Dump;
use super::files::{Recent, Watcher};
use super::nav::Nav;
use super::ui::article::ArticleView;
use super::ui::{Panels, Toast};
use crate::map::camera::Camera;

/// How long a toast stays.
const TOAST_TIME: Duration = Duration::from_secs(6);
const ERROR_TOAST_TIME: Duration = Duration::from_secs(12);
/// Without input for this long, the user is taken to be waiting rather than interacting.
const IDLE_AFTER: Duration = Duration::from_millis(300);

/// Where the map is seen from and where the pointer is.
pub struct View {
    pub camera: Camera,
    pub nav: Nav,
    /// Physical px.
    pub cursor: Option<[f64; 2]>,
    pub modifiers: ModifiersState,
    /// The camera of the last frame: a different one now means the view is moving.
    pub last_camera: Option<Camera>,
    /// First frame not drawn yet: the camera is fitted to the home view then.
    pub first: bool,
    /// The map's free area (not under panels), physical px, as of the last frame.
    pub map_rect: [f64; 4],
    /// A click on the map waiting out the double-click interval (position, when it is due).
    pub pending_click: Option<([f64; 2], Instant)>,
    /// The layers are being re-projected into another projection.
    pub switching: Option<super::reproject::Pending>,
    /// The view went over to the world projection by zooming out (and returns to the conic by
    /// zooming back in).
    pub auto_world: bool,
    /// When the user last gave input (keys, pointer, wheel): a heavy map is drawn in longer
    /// passes while the user is idle (`gfx::FrameBudget`).
    pub input_at: Instant,
    /// The same, and the view moving, for the threads that draw for the window: they yield
    /// to it (`yielding`).
    pub input: super::yielding::InputClock,
}

impl View {
    pub fn new(camera: Camera) -> View {
        View {
            camera,
            nav: Nav::default(),
            cursor: None,
            modifiers: ModifiersState::empty(),
            last_camera: None,
            first: true,
            map_rect: [0.0; 4],
            pending_click: None,
            switching: None,
            auto_world: false,
            input_at: Instant::now(),
            input: Default::default(),
        }
    }

    /// No input for a while and nothing moving: the map may take longer passes to draw.
    pub fn idle(&self) -> bool {
        self.input_at.elapsed() > IDLE_AFTER && !self.nav.is_moving()
    }

    pub fn pixel_ratio(&self) -> f64 {
        self.camera.pixel_ratio as f64
    }

    /// The last frame's free area, when it fits the current window size.
    pub fn known_free_rect(&self) -> Option<[f64; 4]> {
        let m = self.map_rect;
        let c = &self.camera;
        (m[2] > m[0]
            && m[3] > m[1]
            && m[2] <= c.size[0] as f64 + 0.5
            && m[3] <= c.size[1] as f64 + 0.5)
            .then_some(m)
    }
}

/// What the panels show and what the pointer points at.
#[derive(Default)]
pub struct UiState {
    /// The feature under the pointer (layer index, feature), on the map or via a mention.
    pub hover: Option<(usize, u32)>,
    /// `hover` was picked on the map under the pointer (not lit by a mention in the panel).
    pub hover_from_map: bool,
    /// The selected feature (layer uid, feature).
    pub selected: Option<(u64, u32)>,
    pub toasts: Vec<Toast>,
    /// The newest toast (text, is an error), for the frame dump.
    pub last_toast: Option<(String, bool)>,
    /// Files are dragged over the window.
    pub drop_hover: bool,
    /// What the panels edit themselves (open or not, text fields).
    pub panels: Panels,
    /// The measure tool's points (lon, lat), when it is on.
    pub measure: Option<Vec<[f64; 2]>>,
    pub graticule: bool,
    /// Named controls' rectangles (physical px) of the last frame, for the frame dump.
    pub controls: Vec<(String, [f32; 4])>,
    /// The article layer whose text the article panel shows (by uid), and its view.
    pub article: Option<(u64, ArticleView)>,
    /// An article just opened: fit the view to what it is about once its panel has taken its place.
    pub pending_fit: Option<u64>,
    /// Saves of the view asked for since the last frame, each a file: `true` for one that
    /// includes the article panel.
    pub shots: Vec<bool>,
    /// egui asked to be redrawn at this time (tooltips, spinners).
    pub egui_wake: Option<Instant>,
    /// Keys typed after a click in the same frame, for the next frame ([`super::ui::keys_after_click`]).
    pub held_input: Vec<egui::Event>,
    /// A click on the panels or Ctrl+F came since the last frame: keys typed after it wait for
    /// the next frame, which says whether a text field took the focus (then they are its own)
    /// or not (then they go to the map, with the modifiers held when they were typed).
    pub keys_wait: bool,
    pub held_keys: Vec<(winit::event::WindowEvent, winit::keyboard::ModifiersState)>,
}

impl UiState {
    pub fn new() -> UiState {
        UiState {
            panels: Panels {
                layers_open: true,
                widths: super::files::load_panel_widths().unwrap_or_default(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// Shows a message for a while; errors stay longer.
    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
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
    }
}

/// Files being loaded, watched and remembered.
pub struct FileState {
    /// Files being loaded, and since when.
    pub loading: Vec<(PathBuf, Instant)>,
    /// Files whose first load failed, watched so that a fixed version loads.
    pub failed: HashSet<PathBuf>,
    pub watcher: Watcher,
    pub recent: Recent,
    /// Files named on the command line, read while the window came up (see `files::prefetch`).
    pub prefetched: Vec<(PathBuf, super::files::Prefetch)>,
}

/// Frame counters and measurements.
pub struct FrameStats {
    pub started: Instant,
    pub frame_no: u64,
    /// How long the last frame took, ms.
    pub frame_ms: f64,
    /// How long the last frame that drew the map took, ms.
    pub map_frame_ms: f64,
    /// The last frame drew each layer within the level-of-detail error (no coarser level stood
    /// in while the one its view needs is made).
    pub levels_exact: bool,
    /// `--bench-frames`: the frame-time measurement in progress.
    pub bench: Option<FrameBench>,
    /// `BORDERLENS_FRAME_DUMP`: every presented frame is written out.
    pub dump: Option<Dump>,
}
