//! egui panels: layers (visibility, opacity, order, zoom to, remove, legend, warnings), the
//! selected feature's card, the article, search, the measure tool, the status bar, the hover
//! tooltip, toasts and the About box. Panels read the `Model`, edit their own `Panels` state and
//! return `Action`s; they hold no wgpu objects.

pub mod article;
mod feature;
mod layers;
pub mod search;
mod status;
pub mod timeline;
mod toasts;
pub mod tools;

use std::path::PathBuf;
use std::time::Instant;

use egui::{Color32, RichText};

use crate::map::camera::Camera;
use crate::map::layer::MapLayer;
use crate::map::project::{Projection, ProjectionKind};

pub use layers::legend;
pub use toasts::Toast;

/// Default width of the layers panel, and the status bar's height, in points.
pub const PANEL_WIDTH: f32 = 280.0;
pub const STATUS_HEIGHT: f32 = 26.0;
/// The article panel: wide enough to read, narrow enough to leave the map most of the window.
pub const ARTICLE_WIDTH: f32 = 340.0;
pub const ARTICLE_MIN_WIDTH: f32 = 320.0;

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
    /// Save the view with the article panel beside the map.
    ScreenshotWithArticle,
    TogglePanel,
    /// Show this article layer's text in the article panel.
    ShowArticle(usize),
    /// A mention was clicked, or a search result chosen: fly the map to the feature.
    FlyToFeature(usize, u32),
    /// Open the clipboard's text as an article.
    PasteArticle,
    ToggleGraticule,
    ToggleMeasure,
    /// The reader chose a projection in the status bar.
    SetProjection(ProjectionKind),
    /// Archive mode: a range, an entity, a search, an article.
    Archive(timeline::ArchiveAction),
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

/// What the panels edit themselves: which are open, their widths, and their text fields.
#[derive(Debug, Default)]
pub struct Panels {
    pub layers_open: bool,
    /// The panels' widths (points) as the reader left them; kept between sessions.
    pub widths: PanelWidths,
    /// A resize ended this frame: the widths are to be saved.
    pub widths_changed: bool,
    /// The search box, open with its query ([`Panels::open_search`]).
    pub search: Option<String>,
    /// The search box was just opened: its field takes the focus before it reads the frame's
    /// keys, so that typing in the frame that opened it is not lost.
    pub search_opened: bool,
    /// The last query's results and the number of layers then (searching a big overlay's names
    /// each frame would cost frames; a layer added or removed shifts the indices).
    pub search_results: Option<search::Cached>,
    /// The path field that stands in for a file dialog, open with its text.
    pub path_field: Option<String>,
    pub about: bool,
    /// Text to put on the clipboard in this frame.
    pub copy: Option<String>,
}

/// The widths of the resizable panels, points.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PanelWidths {
    pub layers: f32,
    pub article: f32,
}

impl Default for PanelWidths {
    fn default() -> Self {
        PanelWidths {
            layers: PANEL_WIDTH,
            article: ARTICLE_WIDTH,
        }
    }
}

/// Remembers a panel's width once a resize has ended (no button held).
fn remember_width(ui: &egui::Ui, width: f32, kept: &mut f32, changed: &mut bool) {
    if (width - *kept).abs() > 0.5 && !ui.input(|i| i.pointer.any_down()) {
        *kept = width;
        *changed = true;
    }
}

pub struct Model<'a> {
    pub projection: &'a Projection,
    pub layers: Vec<LayerView<'a>>,
    pub camera: &'a Camera,
    /// Pointer position in points, when over the window.
    pub pointer: Option<egui::Pos2>,
    pub hover: Option<(usize, u32)>,
    pub selected: Option<(usize, u32)>,
    /// Where the selected feature is on screen (points), for its card.
    pub selected_at: Option<egui::Pos2>,
    pub dragging: bool,
    pub toasts: &'a [Toast],
    /// Files being loaded, and since when.
    pub loading: &'a [(PathBuf, Instant)],
    /// The map is being drawn over several frames (the old image stands in meanwhile).
    pub drawing: bool,
    /// The layers are being re-projected into this projection.
    pub switching: Option<ProjectionKind>,
    /// Files are dragged over the window.
    pub drop_hover: bool,
    pub recent: &'a [PathBuf],
    pub frame_ms: f64,
    pub adapter: &'a str,
    /// A frame for a saved view: no tooltip, card, search or toasts (the article panel stays:
    /// a save may include it).
    pub clean: bool,
    /// Open articles (layer index, title, date), by date; and the one whose text is shown.
    pub articles: Vec<(usize, String, Option<String>)>,
    pub article: Option<(usize, &'a crate::app::ui::article::ArticleView)>,
    /// The shown article's entity that the map's hover points at (its own feature, or a base
    /// map feature with the same id, such as the Places layer's Gyumri).
    pub article_lit: Option<usize>,
    /// The measure tool's points (lon, lat), when it is on.
    pub measure: Option<&'a [[f64; 2]]>,
    pub graticule: bool,
    /// Archive mode, when an archive is open.
    pub archive: Option<&'a timeline::ArchiveView>,
}

/// Takes from a frame's input the events after the first click that keys or text follow, for
/// the next frame. egui gives a clicked text field its focus only after the field has handled
/// the frame's keys: on a slow frame (a software rasterizer, a busy machine) a click, the
/// typing after it and the Enter come in together, and the typing would be lost.
pub fn keys_after_click(events: &mut Vec<egui::Event>) -> Vec<egui::Event> {
    let typed = |e: &egui::Event| {
        matches!(
            e,
            egui::Event::Key { .. }
                | egui::Event::Text(_)
                | egui::Event::Paste(_)
                | egui::Event::Ime(_)
        )
    };
    let released = events
        .iter()
        .position(|e| matches!(e, egui::Event::PointerButton { pressed: false, .. }));
    match released {
        Some(i) if events[i + 1..].iter().any(typed) => events.split_off(i + 1),
        _ => Vec::new(),
    }
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
    /// The entity whose mention the pointer is over in the article panel.
    pub hover_entity: Option<(usize, u32)>,
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
            hover_entity: None,
            free: egui::Rect::NOTHING,
            controls: Vec::new(),
        }
    }
}

impl Panels {
    /// Opens the search box (it stays as it is when open).
    pub fn open_search(&mut self) {
        if self.search.is_none() {
            self.search = Some(String::new());
            self.search_opened = true;
        }
    }
}

/// Draws all panels.
pub fn show(ui: &mut egui::Ui, m: &Model, p: &mut Panels) -> Output {
    let mut out = Output::default();
    if let Some(text) = p.copy.take() {
        ui.ctx().copy_text(text);
    }
    status::status_bar(ui, m, p, &mut out.actions, &mut out.controls);
    if let Some(a) = m.archive {
        timeline::timeline(ui, a, &mut out);
        timeline::archive_panel(ui, a, &mut out);
    }
    if p.layers_open {
        layers::layers_panel(ui, m, p, &mut out.actions, &mut out.controls);
    }
    article_panel(ui, m, p, &mut out);
    let free = ui.available_rect_before_wrap();
    out.free = free;
    if let Some(points) = m.measure {
        tools::measure_overlay(ui, m, points, free, &mut out.controls);
    }
    if !m.clean {
        if let Some((li, fi)) = m.selected {
            if let Some(l) = m.layers.get(li) {
                feature::card(ui, m, l, fi as usize, free, &mut out);
            }
        }
        search::search_box(ui, m, p, free, &mut out);
        feature::tooltip(ui, m, free);
        toasts::toasts(ui, m, free);
    }
    if p.about {
        tools::about(ui, p, &mut out.controls);
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
    out
}

/// The open articles and the text of the shown one, mentions in their overlay colours.
fn article_panel(ui: &mut egui::Ui, m: &Model, p: &mut Panels, out: &mut Output) {
    let Some((li, view)) = m.article else {
        return;
    };
    let panel = egui::Panel::right("article")
        .default_size(p.widths.article)
        .min_size(ARTICLE_MIN_WIDTH)
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
                        out.actions.push(Action::ShowArticle(*i));
                    }
                }
                ui.separator();
            }
            // The entity hovered on the map lights up its mentions, and the text scrolls to the
            // first of them once.
            let lit = m.article_lit;
            egui::ScrollArea::vertical().show(ui, |ui| {
                let r = view.ui(ui, lit);
                if let Some(f) = r.hovered {
                    out.hover_entity = Some((li, f as u32));
                }
                if let Some(f) = r.clicked {
                    out.actions.push(Action::FlyToFeature(li, f as u32));
                }
                for (name, rect) in r.rects {
                    out.controls.push((name, rect));
                }
            });
        });
    let r = panel.response.rect;
    remember_width(ui, r.width(), &mut p.widths.article, &mut p.widths_changed);
    out.controls.push(("article-panel".into(), r));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One frame of a lone text field given `events`: whether Enter ended its input, and the
    /// field's rectangle.
    fn field_frame(
        ctx: &egui::Context,
        text: &mut String,
        events: Vec<egui::Event>,
    ) -> (bool, egui::Rect) {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(400.0, 200.0),
            )),
            events,
            ..Default::default()
        };
        let mut out = (false, egui::Rect::NOTHING);
        let mut output = ctx.run_ui(input, |ui| {
            let r = ui.add(egui::TextEdit::singleline(text));
            let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            out = (entered, r.rect);
        });
        // No painter takes the font atlas here.
        output.textures_delta.clear();
        out
    }

    fn click_and_type(at: egui::Pos2, text: &str) -> Vec<egui::Event> {
        let button = |pressed| egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        };
        let enter = egui::Event::Key {
            key: egui::Key::Enter,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        };
        vec![
            egui::Event::PointerMoved(at),
            button(true),
            button(false),
            egui::Event::Text(text.into()),
            enter,
        ]
    }

    #[test]
    fn keys_typed_in_the_frame_of_the_click_that_focused_a_field_reach_it_a_frame_later() {
        let ctx = egui::Context::default();
        let mut text = String::new();
        let (_, rect) = field_frame(&ctx, &mut text, vec![]);
        let mut events = click_and_type(rect.center(), "ferry");
        let held = keys_after_click(&mut events);
        assert_eq!(events.len(), 3, "the move and the click: {events:?}");
        assert_eq!(held.len(), 2, "the text and the Enter: {held:?}");
        assert!(!field_frame(&ctx, &mut text, events).0);
        assert!(field_frame(&ctx, &mut text, held).0, "Enter ends the input");
        assert_eq!(text, "ferry");
        // Without the split egui drops the typing (why the split is there).
        let ctx = egui::Context::default();
        let mut lost = String::new();
        field_frame(&ctx, &mut lost, vec![]);
        field_frame(&ctx, &mut lost, click_and_type(rect.center(), "ferry"));
        assert_eq!(lost, "");
        // Clicks and moves alone stay in their frame.
        let mut events = click_and_type(rect.center(), "x");
        events.truncate(3);
        assert!(keys_after_click(&mut events).is_empty());
        assert_eq!(events.len(), 3);
    }
}
