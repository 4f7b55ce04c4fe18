//! What the panels and keys ask for (`Action`s), carried out on the App's state.

use geo::Rect;

use super::ui::Action;
use super::{files, App};
use crate::map::layer::LayerKind;

impl App {
    pub(super) fn apply(&mut self, action: Action) {
        if matches!(action, Action::Raise(_) | Action::Lower(_)) {
            // Search results point at layers by index.
            self.ui.panels.search_results = None;
        }
        match action {
            Action::SetVisible(i, v) => {
                if let Some(l) = self.layers.get_mut(i) {
                    l.gpu.visible = v;
                }
            }
            Action::SetOpacity(i, o) => {
                if let Some(l) = self.layers.get_mut(i) {
                    l.gpu.set_opacity(o);
                }
            }
            Action::Raise(i) if i + 1 < self.layers.len() => {
                self.layers.swap(i, i + 1);
                self.ui.hover = None;
            }
            Action::Lower(i) if i > 0 && i < self.layers.len() => {
                self.layers.swap(i, i - 1);
                self.ui.hover = None;
            }
            Action::Raise(_) | Action::Lower(_) => {}
            Action::ZoomTo(i) => {
                if let Some(b) = self.layers.get(i).and_then(|l| l.data.bounds) {
                    let to = self.fit_camera(b);
                    self.fly_to(to);
                }
            }
            Action::Remove(i) => self.remove_layer(i),
            Action::Open => files::spawn_dialog(self.post.picked()),
            Action::OpenPath(p) => self.start_load(p, false),
            Action::Home => {
                let to = self.home_camera();
                self.fly_to(to);
            }
            Action::ClearSelection => self.ui.selected = None,
            Action::Screenshot => self.ui.shots.push(false),
            Action::ScreenshotWithArticle => self.ui.shots.push(true),
            Action::TogglePanel => self.ui.panels.layers_open = !self.ui.panels.layers_open,
            Action::ShowArticle(i) => self.show_article(i),
            Action::PasteArticle => self.paste_article(),
            Action::ToggleGraticule => self.ui.graticule = !self.ui.graticule,
            Action::SetProjection(kind) => {
                self.view.auto_world = false;
                let to = crate::map::project::Projection::new(kind);
                self.switch_projection(to, super::reproject::Then::KeepView);
            }
            Action::ToggleMeasure => {
                self.ui.measure = match self.ui.measure {
                    Some(_) => None,
                    None => Some(Vec::new()),
                };
            }
            Action::FlyToFeature(i, f) => self.fly_to_feature(i, f),
            Action::Archive(a) => self.archive_action(a),
        }
        self.refresh_highlight();
        self.request_redraw();
    }

    fn remove_layer(&mut self, i: usize) {
        let overlay = self
            .layers
            .get(i)
            .is_some_and(|l| l.data.kind == LayerKind::Overlay);
        if !overlay {
            return;
        }
        let layer = self.layers.remove(i);
        if let Some(k) = &layer.key {
            self.files.watcher.unwatch(k);
        }
        if self.ui.selected.is_some_and(|(u, _)| u == layer.uid) {
            self.ui.selected = None;
        }
        if self.ui.article.as_ref().is_some_and(|a| a.0 == layer.uid) {
            self.ui.article = None;
        }
        self.ui.hover = None;
        self.toast(format!("Removed {}", layer.data.name), false);
        drop(layer);
        super::threads::return_freed_memory();
    }

    /// Flies to a feature (a place: 60 km around it) and selects it.
    fn fly_to_feature(&mut self, i: usize, f: u32) {
        use geo::BoundingRect;
        let Some(layer) = self.layers.get(i) else {
            return;
        };
        let Some(b) = layer
            .data
            .projected
            .get(f as usize)
            .and_then(|g| g.as_ref()?.bounding_rect())
        else {
            return;
        };
        let r = 30.0_f64.max(b.width().max(b.height()) * 0.1);
        let b = Rect::new(
            geo::coord! {x: b.min().x - r, y: b.min().y - r},
            geo::coord! {x: b.max().x + r, y: b.max().y + r},
        );
        self.ui.selected = Some((layer.uid, f));
        let to = self.fit_camera(b);
        self.fly_to(to);
    }

    /// Opens the clipboard's text as an article (Ctrl+V, "Paste" in the layers panel).
    fn paste_article(&mut self) {
        let text = self.win.as_mut().and_then(|w| w.egui.clipboard_text());
        match text.filter(|t| !t.trim().is_empty()) {
            Some(text) => {
                self.toast("Reading the pasted article…", false);
                files::spawn_text_article(self.post.loaded(), self.projection, text);
            }
            None => self.toast("The clipboard holds no text to read as an article", true),
        }
    }

    /// Gives each layer its hovered and selected feature (drawn over the map: `Layer::lit`).
    pub(super) fn refresh_highlight(&mut self) {
        let sel = self
            .ui
            .selected
            .and_then(|(uid, f)| Some((self.layers.index_of(uid)?, f)));
        let hover = self.ui.hover;
        for (i, l) in self.layers.iter_mut().enumerate() {
            l.hovered = hover.filter(|h| h.0 == i).map(|h| h.1);
            l.selected = sel.filter(|h| h.0 == i).map(|h| h.1);
        }
    }
}
