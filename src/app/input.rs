//! Input on the map: window changes, pointer (pan, zoom, click, hover) and keys.

use std::time::Instant;

use winit::event::{ElementState, MouseButton, MouseScrollDelta, WindowEvent};
use winit::keyboard::{Key, NamedKey};

use super::nav::{self, Release};
use super::ui::Action;
use super::App;

/// Zoom per wheel event (xdotool and most mice give one or two events per notch).
const WHEEL_STEP: f64 = 1.2;

impl App {
    /// Size, scale, modifiers, pointer position and dropped files.
    pub(super) fn on_window_change(&mut self, event: &WindowEvent) {
        match event {
            WindowEvent::Resized(size) => {
                if let Some(win) = &mut self.win {
                    win.gfx.resize([size.width, size.height]);
                    let ratio = win.gfx.window.scale_factor() as f32;
                    self.view
                        .camera
                        .resize([size.width.max(1), size.height.max(1)], ratio);
                }
                self.request_redraw();
            }
            WindowEvent::ScaleFactorChanged { scale_factor, .. } => {
                let size = self.view.camera.size;
                self.view.camera.resize(size, *scale_factor as f32);
                self.request_redraw();
            }
            WindowEvent::ModifiersChanged(m) => self.view.modifiers = m.state(),
            WindowEvent::CursorMoved { position, .. } => {
                let p = [position.x, position.y];
                self.view.cursor = Some(p);
                self.view
                    .nav
                    .motion(p, Instant::now(), &mut self.view.camera);
                // The status bar shows the cursor's position: redraw either way.
                self.request_redraw();
            }
            WindowEvent::CursorLeft { .. } => {
                self.view.cursor = None;
                self.request_redraw();
            }
            WindowEvent::DroppedFile(path) => {
                self.ui.drop_hover = false;
                self.start_load(path.clone(), false);
            }
            WindowEvent::HoveredFile(_) => {
                self.ui.drop_hover = true;
                self.request_redraw();
            }
            WindowEvent::HoveredFileCancelled => {
                self.ui.drop_hover = false;
                self.request_redraw();
            }
            _ => {}
        }
    }

    /// The feature under a screen point (physical px), topmost visible layer first.
    pub(super) fn pick(&self, p: [f64; 2]) -> Option<(usize, u32)> {
        self.layers.pick(&self.view.camera, p)
    }

    /// Whether a window point (physical px) is over egui rather than the map. Decided from the
    /// point itself and the last frame's layout: egui's own answer lags one frame behind the pointer.
    pub(super) fn over_ui(&self, p: [f64; 2]) -> bool {
        let [x0, y0, x1, y1] = self.view.map_rect;
        if x1 > x0 && !(p[0] >= x0 && p[0] < x1 && p[1] >= y0 && p[1] < y1) {
            return true;
        }
        let ppp = self.ctx.pixels_per_point() as f64;
        let pos = egui::pos2((p[0] / ppp) as f32, (p[1] / ppp) as f32);
        self.ctx
            .layer_id_at(pos)
            .is_some_and(|l| l.order != egui::Order::Background && l.order != egui::Order::Tooltip)
    }

    /// The feature under the pointer, when the pointer is over the map and not dragging.
    pub(super) fn update_hover(&mut self) {
        // `--bench-frames` times the map, wherever the pointer was left: it sets the hover.
        if self.stats.bench.is_some() {
            return;
        }
        let over_ui = self.view.cursor.is_some_and(|p| self.over_ui(p));
        let h = match self.view.cursor {
            Some(p) if !over_ui && !self.view.nav.is_dragging() => self.pick(p),
            _ => None,
        };
        self.ui.hover_from_map = h.is_some();
        if h != self.ui.hover {
            self.ui.hover = h;
            self.refresh_highlight();
        }
    }

    fn on_key(&mut self, key: &Key) {
        let ctrl = self.view.modifiers.control_key();
        let now = Instant::now();
        let size = self.view.camera.size;
        let center = [size[0] as f64 / 2.0, size[1] as f64 / 2.0];
        let pan = 120.0 * self.view.pixel_ratio();
        match key {
            Key::Named(NamedKey::Escape) => {
                self.ui.measure = None;
                self.apply(Action::ClearSelection)
            }
            Key::Named(NamedKey::Home) => self.apply(Action::Home),
            Key::Named(NamedKey::F12) if self.view.modifiers.shift_key() => {
                self.apply(Action::ScreenshotWithArticle)
            }
            Key::Named(NamedKey::F12) => self.apply(Action::Screenshot),
            Key::Named(NamedKey::ArrowLeft) => self.pan_animated(pan, 0.0),
            Key::Named(NamedKey::ArrowRight) => self.pan_animated(-pan, 0.0),
            Key::Named(NamedKey::ArrowUp) => self.pan_animated(0.0, pan),
            Key::Named(NamedKey::ArrowDown) => self.pan_animated(0.0, -pan),
            Key::Character(c) => match (c.as_str(), ctrl) {
                ("s" | "S", true) => self.apply(Action::Screenshot),
                ("o" | "O", true) => self.apply(Action::Open),
                ("v" | "V", true) => self.apply(Action::PasteArticle),
                ("f" | "F", true) => {
                    self.ui.panels.open_search();
                    self.request_redraw();
                }
                ("m" | "M", false) => self.apply(Action::ToggleMeasure),
                ("g" | "G", false) => self.apply(Action::ToggleGraticule),
                ("0", false) => self.apply(Action::Home),
                ("l" | "L", false) => self.apply(Action::TogglePanel),
                // Fit the loaded files (the home view when there are none), in a projection
                // that suits them.
                ("f" | "F", false) => self.fit_overlays(),
                ("+" | "=", false) => {
                    self.zoom_may_switch(2.0);
                    self.view.nav.zoom(&self.view.camera, center, 2.0, now);
                    self.request_redraw();
                }
                ("-" | "_", false) => {
                    self.zoom_may_switch(0.5);
                    self.view.nav.zoom(&self.view.camera, center, 0.5, now);
                    self.request_redraw();
                }
                _ => {}
            },
            _ => {}
        }
    }

    fn pan_animated(&mut self, dx: f64, dy: f64) {
        let mut to = self.view.nav.target(&self.view.camera);
        to.pan_pixels(dx, dy);
        self.view
            .nav
            .animate(self.view.camera, to, nav::ZOOM_ANIM, Instant::now());
        self.request_redraw();
    }

    fn on_release(&mut self, now: Instant) {
        let Some(p) = self.view.cursor else {
            self.view.nav.release([0.0, 0.0], now);
            return;
        };
        match self.view.nav.release(p, now) {
            Release::Click(p) if self.ui.measure.is_some() => {
                if let Some(ll) = self.lonlat_at(p) {
                    self.ui.measure.get_or_insert_with(Vec::new).push(ll);
                }
            }
            // A click selects once it is clear that it does not start a double-click.
            Release::Click(p) => self.view.pending_click = Some((p, now + nav::DOUBLE_CLICK)),
            Release::DoubleClick(p) => {
                self.view.pending_click = None;
                self.view.nav.zoom(&self.view.camera, p, 2.0, now);
            }
            Release::DragEnd | Release::Nothing => {}
        }
        self.request_redraw();
    }

    /// Selects what a click waiting out the double-click interval hit, once it is due.
    pub(super) fn settle_click(&mut self, now: Instant) {
        let Some((p, due)) = self.view.pending_click else {
            return;
        };
        if now < due {
            return;
        }
        self.view.pending_click = None;
        self.ui.selected = self
            .pick(p)
            .and_then(|(i, f)| Some((self.layers.get(i)?.uid, f)));
        self.refresh_highlight();
    }

    /// The lon/lat under a screen point (physical px).
    fn lonlat_at(&self, p: [f64; 2]) -> Option<[f64; 2]> {
        let w = self.view.camera.screen_to_world(p);
        let (lon, lat) = self.projection.unproject(w[0], w[1])?;
        Some([lon, lat])
    }

    /// Right-click: the lon/lat under the pointer goes to the clipboard.
    fn copy_lonlat(&mut self) {
        let Some(ll) = self.view.cursor.and_then(|p| self.lonlat_at(p)) else {
            return;
        };
        let text = format!("{:.5}, {:.5}", ll[0], ll[1]);
        self.toast(format!("Copied {text} (lon, lat)"), false);
        self.ui.panels.copy = Some(text);
    }

    pub(super) fn on_map_event(&mut self, event: &WindowEvent) {
        let now = Instant::now();
        match event {
            WindowEvent::MouseInput {
                state: ElementState::Pressed,
                button: MouseButton::Left,
                ..
            } => {
                if let Some(p) = self.view.cursor {
                    if !self.over_ui(p) {
                        self.view.nav.press(p, now);
                    }
                }
            }
            WindowEvent::MouseInput {
                state: ElementState::Released,
                button: MouseButton::Left,
                ..
            } => self.on_release(now),
            WindowEvent::MouseInput {
                state: ElementState::Pressed,
                button: MouseButton::Right,
                ..
            } if self.view.cursor.is_some_and(|p| !self.over_ui(p)) => self.copy_lonlat(),
            WindowEvent::MouseWheel { delta, .. } => {
                if self.view.cursor.is_some_and(|p| self.over_ui(p)) {
                    return;
                }
                let size = self.view.camera.size;
                let anchor = self
                    .view
                    .cursor
                    .unwrap_or([size[0] as f64 / 2.0, size[1] as f64 / 2.0]);
                let factor = match delta {
                    MouseScrollDelta::LineDelta(_, y) => WHEEL_STEP.powf(*y as f64),
                    MouseScrollDelta::PixelDelta(p) => (p.y * 0.004).exp(),
                };
                if (factor - 1.0).abs() > 1e-9 {
                    self.zoom_may_switch(factor);
                    self.view.nav.zoom(&self.view.camera, anchor, factor, now);
                    self.request_redraw();
                }
            }
            WindowEvent::PinchGesture { delta, .. } => {
                if let Some(p) = self.view.cursor {
                    self.view.nav.stop();
                    self.view.camera.zoom_about(p, 1.0 + delta);
                    self.request_redraw();
                }
            }
            WindowEvent::DoubleTapGesture { .. } => {
                if let Some(p) = self.view.cursor {
                    self.view.nav.zoom(&self.view.camera, p, 2.0, now);
                    self.request_redraw();
                }
            }
            // Not the presses winit makes up, on focus, for keys down at that moment: a key
            // pressed as the window takes focus would act twice (zoom out four times, not two).
            WindowEvent::KeyboardInput {
                event,
                is_synthetic: false,
                ..
            } if event.state == ElementState::Pressed => {
                self.on_key(&event.logical_key);
            }
            _ => {}
        }
    }
}
