//! egui panels: layers (visibility, opacity, order, zoom to, remove, legend, warnings), the
//! selected feature's properties, the article, the status bar, the hover tooltip and toasts.
//! Panels read the model and return `Action`s; they hold no wgpu objects.

pub mod article;
mod feature;
mod layers;
mod status;
mod toasts;

use std::path::PathBuf;
use std::time::Instant;

use egui::{Color32, RichText};

use crate::map::camera::Camera;
use crate::map::layer::MapLayer;
use crate::map::project::Projection;

pub use layers::legend;
pub use toasts::Toast;

/// Width of the layers panel and height of the status bar, in points (fixed, so the first view
/// and `Home` frame the same area).
pub const PANEL_WIDTH: f32 = 300.0;
pub const STATUS_HEIGHT: f32 = 26.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    SetVisible(usize, bool),
    SetOpacity(usize, f32),
    /// Moves a layer one step up (drawn later) or down.
    Raise(usize),
    Lower(usize),
    ZoomTo(usize),
    Remove(usize),
    Open,
    OpenPath(PathBuf),
    Home,
    ClearSelection,
    Screenshot,
    TogglePanel,
    /// Show this article layer's text in the article panel.
    ShowArticle(usize),
    /// A mention is hovered in the article panel: highlight its entity on the map.
    HoverEntity(usize, u32),
    /// A mention was clicked: fly the map to its entity.
    FlyToFeature(usize, u32),
}

/// One distinct style of a layer, for the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    pub fill: Color32,
    pub stroke: Color32,
    pub marker: Color32,
    pub label: String,
    pub count: usize,
}

/// What the panels show of one layer.
pub struct LayerView<'a> {
    pub layer: &'a MapLayer,
    pub visible: bool,
    pub opacity: f32,
    pub legend: &'a [LegendEntry],
    /// Why the last reload of its file failed.
    pub reload_error: Option<&'a str>,
}

pub struct Model<'a> {
    pub projection: &'a Projection,
    pub layers: Vec<LayerView<'a>>,
    pub camera: &'a Camera,
    /// Pointer position in points, when over the window.
    pub pointer: Option<egui::Pos2>,
    pub hover: Option<(usize, u32)>,
    pub selected: Option<(usize, u32)>,
    pub dragging: bool,
    pub toasts: &'a [Toast],
    /// Files being loaded, and since when.
    pub loading: &'a [(PathBuf, Instant)],
    /// The map is being drawn over several frames (the old image stands in meanwhile).
    pub drawing: bool,
    /// Files are dragged over the window.
    pub drop_hover: bool,
    pub recent: &'a [PathBuf],
    pub frame_ms: f64,
    pub panel_open: bool,
    pub adapter: &'a str,
    /// A frame for a saved view: no tooltip, no toasts.
    pub clean: bool,
    /// Open articles (layer index, title, date), by date; and the one whose text is shown.
    pub articles: Vec<(usize, String, Option<String>)>,
    pub article: Option<(usize, &'a crate::app::ui::article::ArticleView)>,
}

pub fn linear_to_color(c: [f32; 4]) -> Color32 {
    let s = |v: f32| {
        let v = v.clamp(0.0, 1.0);
        let e = if v <= 0.003_130_8 {
            v * 12.92
        } else {
            1.055 * v.powf(1.0 / 2.4) - 0.055
        };
        (e * 255.0).round() as u8
    };
    Color32::from_rgba_unmultiplied(
        s(c[0]),
        s(c[1]),
        s(c[2]),
        (c[3].clamp(0.0, 1.0) * 255.0) as u8,
    )
}

/// What the panels produced in one frame.
pub struct Output {
    pub actions: Vec<Action>,
    /// The map's free area (points).
    pub free: egui::Rect,
    /// Where some controls are (points), by name, e.g. `visible:FILE` for a layer's checkbox;
    /// the frame dump lists them so tests can click them.
    pub controls: Vec<(String, egui::Rect)>,
}

impl Default for Output {
    fn default() -> Self {
        Output {
            actions: Vec::new(),
            free: egui::Rect::NOTHING,
            controls: Vec::new(),
        }
    }
}

/// Draws all panels.
pub fn show(ui: &mut egui::Ui, m: &Model) -> Output {
    let mut actions = Vec::new();
    let mut controls = Vec::new();
    status::status_bar(ui, m, &mut actions);
    if m.panel_open {
        layers::layers_panel(ui, m, &mut actions, &mut controls);
    }
    if let Some((li, fi)) = m.selected {
        if let Some(l) = m.layers.get(li) {
            feature::feature_panel(ui, l.layer, fi as usize, &mut actions);
        }
    }
    if !m.clean {
        article_panel(ui, m, &mut actions);
    }
    let free = ui.available_rect_before_wrap();
    if !m.clean {
        feature::tooltip(ui, m, free);
        toasts::toasts(ui, m, free);
    }
    if m.drop_hover {
        egui::Area::new(egui::Id::unique("drop-hint"))
            .order(egui::Order::Foreground)
            .fixed_pos(free.center() - egui::vec2(170.0, 30.0))
            .interactable(false)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style())
                    .inner_margin(egui::Margin::same(16))
                    .show(ui, |ui| {
                        ui.label(RichText::new("Drop to open").heading());
                        ui.label("GeoJSON (.geojson, .json) or articles (.txt, .md)");
                    });
            });
    }
    Output {
        actions,
        free,
        controls,
    }
}

/// The open articles and the text of the shown one, mentions in their overlay colours.
fn article_panel(ui: &mut egui::Ui, m: &Model, actions: &mut Vec<Action>) {
    let Some((li, view)) = m.article else {
        return;
    };
    egui::Panel::right("article")
        .default_size(360.0)
        .resizable(true)
        .show(ui, |ui| {
            if m.articles.len() > 1 {
                ui.label(RichText::new("Articles").strong());
                for (i, title, date) in &m.articles {
                    let text = match date {
                        Some(d) => format!("{d} · {title}"),
                        None => title.clone(),
                    };
                    if ui.selectable_label(*i == li, text).clicked() {
                        actions.push(Action::ShowArticle(*i));
                    }
                }
                ui.separator();
            }
            // The entity hovered on the map lights up its mentions.
            let lit = m.hover.filter(|h| h.0 == li).map(|h| h.1 as usize);
            egui::ScrollArea::vertical().show(ui, |ui| {
                let r = view.ui(ui, lit);
                if let Some(f) = r.hovered {
                    actions.push(Action::HoverEntity(li, f as u32));
                }
                if let Some(f) = r.clicked {
                    actions.push(Action::FlyToFeature(li, f as u32));
                }
            });
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_round_trip_through_linear() {
        let c = crate::map::style::Rgb(0x12, 0x80, 0xfe).linear(1.0);
        assert_eq!(linear_to_color(c), Color32::from_rgb(0x12, 0x80, 0xfe));
    }
}
