//! egui panels: layers (visibility, opacity, order, zoom to, remove, legend, warnings), the
//! selected feature's properties, the status bar, the hover tooltip and toasts. Panels read the
//! model and return `Action`s; they hold no wgpu objects.

pub mod article;

use std::path::PathBuf;
use std::time::Instant;

use egui::{Align2, Color32, RichText, Stroke};

use crate::map::camera::Camera;
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::Map;
use crate::mesh::vertex::FeatureStyle;

/// Width of the layers panel and height of the status bar, in points (fixed, so the first view
/// and `Home` frame the same area).
pub const PANEL_WIDTH: f32 = 300.0;
pub const STATUS_HEIGHT: f32 = 26.0;

/// The keyboard and mouse shortcuts, as the Keys menu lists them.
const KEYS: &[(&str, &str)] = &[
    ("drag", "pan (flick for inertia)"),
    ("wheel, pinch", "zoom at the pointer"),
    ("double-click", "zoom in"),
    ("+ / -", "zoom in / out"),
    ("arrows", "pan"),
    ("Home, 0", "the whole South Caucasus"),
    ("F", "fit the loaded files"),
    ("click", "select a feature; Esc clears"),
    ("L", "show or hide the layers panel"),
    ("Ctrl+O", "open files (or drop them on the map)"),
    ("F12, Ctrl+S", "save the view as PNG"),
];

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

#[derive(Debug, Clone)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub until: Instant,
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
}

pub struct Model<'a> {
    pub map: &'a Map,
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

/// The distinct visible styles of a layer (at most `max`), most used first.
pub fn legend(layer: &MapLayer, max: usize) -> Vec<LegendEntry> {
    let mut out: Vec<LegendEntry> = Vec::new();
    for (f, s) in layer.features.iter().zip(&layer.styles) {
        if s.flags & FeatureStyle::HIDDEN != 0 || f.geometry.is_none() {
            continue;
        }
        let g = f.geometry.as_ref();
        let is_point = matches!(
            g,
            Some(geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_))
        );
        let is_line = matches!(
            g,
            Some(geo::Geometry::LineString(_) | geo::Geometry::MultiLineString(_))
        );
        let clear = Color32::TRANSPARENT;
        let e = LegendEntry {
            fill: if is_point || is_line {
                clear
            } else {
                linear_to_color(s.fill)
            },
            stroke: if is_point || s.stroke_width <= 0.0 {
                clear
            } else {
                linear_to_color(s.stroke)
            },
            marker: if is_point {
                linear_to_color(s.marker)
            } else {
                clear
            },
            label: String::new(),
            count: 1,
        };
        if let Some(x) = out
            .iter_mut()
            .find(|x| x.fill == e.fill && x.stroke == e.stroke && x.marker == e.marker)
        {
            x.count += 1;
            continue;
        }
        let label = match layer.kind {
            LayerKind::Overlay => f.name().unwrap_or("(unnamed)").to_string(),
            _ if is_point => "place".into(),
            _ if is_line => "line".into(),
            _ => f.name().unwrap_or("area").to_string(),
        };
        out.push(LegendEntry { label, ..e });
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.count));
    out.truncate(max);
    out
}

fn swatch(ui: &mut egui::Ui, e: &LegendEntry) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 12.0), egui::Sense::hover());
    let p = ui.painter();
    if e.marker != Color32::TRANSPARENT {
        p.circle_filled(rect.center(), 4.5, e.marker);
    } else if e.fill == Color32::TRANSPARENT {
        p.line_segment(
            [rect.left_center(), rect.right_center()],
            Stroke::new(2.5, e.stroke),
        );
    } else {
        p.rect_filled(rect, 2.0, e.fill);
        p.rect_stroke(
            rect,
            2.0,
            Stroke::new(1.5, e.stroke),
            egui::StrokeKind::Inside,
        );
    }
}

fn short(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Properties a tooltip leaves out (styling keys).
fn is_style_key(k: &str) -> bool {
    matches!(
        k,
        "fill"
            | "fill-opacity"
            | "stroke"
            | "stroke-width"
            | "stroke-opacity"
            | "marker-color"
            | "marker-size"
            | "marker-symbol"
            | "title"
            | "name"
            | "color_index"
    )
}

/// A "nice" length (1, 2 or 5 × 10^k km) for a scale bar of at most `max_km`.
pub fn nice_km(max_km: f64) -> f64 {
    if !(max_km > 0.0 && max_km.is_finite()) {
        return 1.0;
    }
    let p = 10f64.powf(max_km.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= max_km {
            return m * p;
        }
    }
    p
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
    status_bar(ui, m, &mut actions);
    if m.panel_open {
        layers_panel(ui, m, &mut actions, &mut controls);
    }
    if let Some((li, fi)) = m.selected {
        if let Some(l) = m.layers.get(li) {
            feature_panel(ui, l.layer, fi as usize, &mut actions);
        }
    }
    if !m.clean {
        article_panel(ui, m, &mut actions);
    }
    let free = ui.available_rect_before_wrap();
    if !m.clean {
        tooltip(ui, m, free);
        toasts(ui, m, free);
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

fn status_bar(ui: &mut egui::Ui, m: &Model, actions: &mut Vec<Action>) {
    egui::Panel::bottom("status")
        .exact_size(STATUS_HEIGHT)
        .resizable(false)
        .show(ui, |ui| {
            ui.horizontal_centered(|ui| {
                let label = if m.panel_open {
                    "Hide layers"
                } else {
                    "Layers"
                };
                if ui.small_button(label).on_hover_text("L").clicked() {
                    actions.push(Action::TogglePanel);
                }
                ui.separator();
                let ppp = ui.ctx().pixels_per_point() as f64;
                let lonlat = m.pointer.and_then(|p| {
                    let w = m
                        .camera
                        .screen_to_world([p.x as f64 * ppp, p.y as f64 * ppp]);
                    m.map.projection.unproject(w[0], w[1])
                });
                let text = match lonlat {
                    Some((lon, lat)) => format!(
                        "{:.4}°{} {:.4}°{}",
                        lat.abs(),
                        if lat >= 0.0 { "N" } else { "S" },
                        lon.abs(),
                        if lon >= 0.0 { "E" } else { "W" }
                    ),
                    None => "—".into(),
                };
                ui.add_sized(
                    [150.0, 18.0],
                    egui::Label::new(RichText::new(text).monospace()),
                );
                ui.separator();
                // Scale bar: at most 120 points long.
                let km_per_point = ppp / m.camera.scale;
                let km = nice_km(120.0 * km_per_point);
                let len = (km / km_per_point) as f32;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(len + 4.0, 14.0), egui::Sense::hover());
                let color = ui.visuals().text_color();
                let y = rect.bottom() - 2.0;
                let (x0, x1) = (rect.left() + 2.0, rect.left() + 2.0 + len);
                let s = Stroke::new(1.5, color);
                let p = ui.painter();
                p.line_segment([egui::pos2(x0, y), egui::pos2(x1, y)], s);
                p.line_segment([egui::pos2(x0, y), egui::pos2(x0, y - 6.0)], s);
                p.line_segment([egui::pos2(x1, y), egui::pos2(x1, y - 6.0)], s);
                let unit = if km >= 1.0 {
                    format!("{km} km")
                } else {
                    format!("{} m", (km * 1000.0).round())
                };
                ui.label(unit);
                ui.separator();
                ui.add(egui::Label::new(m.map.projection.kind.to_string()).truncate())
                    .on_hover_text(m.adapter);
                if !m.loading.is_empty() {
                    ui.separator();
                    ui.spinner();
                    ui.label(format!("loading {}", m.loading.len()));
                }
                if m.drawing {
                    ui.separator();
                    ui.spinner();
                    ui.label("drawing the map");
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.label(
                        RichText::new(format!("{:.1} ms", m.frame_ms))
                            .small()
                            .weak(),
                    )
                    .on_hover_text("time to draw the last frame");
                    ui.menu_button("Keys", |ui| {
                        egui::Grid::new("keys").num_columns(2).show(ui, |ui| {
                            for (k, what) in KEYS {
                                ui.label(RichText::new(*k).monospace());
                                ui.label(*what);
                                ui.end_row();
                            }
                        });
                    });
                    if ui
                        .small_button("Save PNG")
                        .on_hover_text("F12 or Ctrl+S")
                        .clicked()
                    {
                        actions.push(Action::Screenshot);
                    }
                    if ui
                        .small_button("Home")
                        .on_hover_text("Home or 0; F fits the loaded files")
                        .clicked()
                    {
                        actions.push(Action::Home);
                    }
                });
            });
        });
}

fn layers_panel(
    ui: &mut egui::Ui,
    m: &Model,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    egui::Panel::left("layers")
        .exact_size(PANEL_WIDTH)
        .resizable(false)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Layers");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.menu_button("Recent", |ui| {
                        if m.recent.is_empty() {
                            ui.label("no recent files");
                        }
                        for p in m.recent {
                            let name = p
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            if ui
                                .button(name)
                                .on_hover_text(p.display().to_string())
                                .clicked()
                            {
                                actions.push(Action::OpenPath(p.clone()));
                                ui.close();
                            }
                        }
                    });
                    if ui
                        .button("Open…")
                        .on_hover_text("Ctrl+O, or drop files on the map")
                        .clicked()
                    {
                        actions.push(Action::Open);
                    }
                });
            });
            if !m.loading.is_empty() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.vertical(|ui| {
                        for (p, since) in m.loading {
                            let name = p
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            let secs = since.elapsed().as_secs();
                            let size = std::fs::metadata(p).map(|md| md.len()).unwrap_or(0);
                            ui.label(format!(
                                "Loading {name} ({:.1} MB, {secs} s)",
                                size as f64 / 1e6
                            ))
                            .on_hover_text(p.display().to_string());
                        }
                    });
                });
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false; 2])
                .show(ui, |ui| {
                    let n = m.layers.len();
                    for i in (0..n).rev() {
                        let l = &m.layers[i];
                        layer_row(ui, i, n, l, actions, controls);
                        ui.separator();
                    }
                });
        });
}

fn layer_row(
    ui: &mut egui::Ui,
    i: usize,
    n: usize,
    l: &LayerView,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let layer = l.layer;
    let overlay = layer.kind == LayerKind::Overlay;
    let header =
        |ui: &mut egui::Ui, actions: &mut Vec<Action>, controls: &mut Vec<(String, egui::Rect)>| {
            let mut visible = l.visible;
            let name = if overlay {
                RichText::new(&layer.name).strong()
            } else {
                RichText::new(&layer.name)
            };
            let check = ui.checkbox(&mut visible, name);
            controls.push((format!("visible:{}", layer.name), check.rect));
            if let Some(src) = &layer.source {
                check.on_hover_text(src.display().to_string());
            }
            if visible != l.visible {
                actions.push(Action::SetVisible(i, visible));
            }
        };
    ui.push_id(i, |ui| {
        if overlay {
            header(ui, actions, controls);
            layer_details(ui, i, n, l, actions);
        } else {
            // Base layers fold to one line: a panel of widgets costs a software rasterizer
            // more than the map under it.
            egui::collapsing_header::CollapsingState::load_with_default_open(
                ui.ctx(),
                ui.make_persistent_id(("base layer", i)),
                false,
            )
            .show_header(ui, |ui| header(ui, actions, controls))
            .body(|ui| layer_details(ui, i, n, l, actions));
        }
    });
}

/// Opacity, order, zoom, removal, legend and warnings of a layer.
fn layer_details(ui: &mut egui::Ui, i: usize, n: usize, l: &LayerView, actions: &mut Vec<Action>) {
    let layer = l.layer;
    let overlay = layer.kind == LayerKind::Overlay;
    {
        ui.horizontal(|ui| {
            ui.spacing_mut().slider_width = 64.0;
            ui.spacing_mut().item_spacing.x = 4.0;
            let mut o = l.opacity;
            if ui
                .add(egui::Slider::new(&mut o, 0.0..=1.0).show_value(false))
                .on_hover_text(format!("opacity {:.0} %", o * 100.0))
                .changed()
            {
                actions.push(Action::SetOpacity(i, o));
            }
            if ui
                .add_enabled(i + 1 < n, egui::Button::new("Up").small())
                .on_hover_text("Draw above the layer over it")
                .clicked()
            {
                actions.push(Action::Raise(i));
            }
            if ui
                .add_enabled(i > 0, egui::Button::new("Down").small())
                .on_hover_text("Draw below the layer under it")
                .clicked()
            {
                actions.push(Action::Lower(i));
            }
            if layer.bounds.is_some()
                && ui
                    .small_button("Zoom")
                    .on_hover_text("Zoom to this layer")
                    .clicked()
            {
                actions.push(Action::ZoomTo(i));
            }
            if overlay
                && ui
                    .small_button("Remove")
                    .on_hover_text("Remove this file from the map")
                    .clicked()
            {
                actions.push(Action::Remove(i));
            }
        });
        let info = format!("{} features", layer.features.len());
        ui.label(RichText::new(info).small().weak());
        if !l.legend.is_empty()
            && (overlay || l.legend.len() > 1 || layer.kind != LayerKind::Countries)
        {
            for e in l.legend.iter().take(if overlay { 8 } else { 3 }) {
                ui.horizontal(|ui| {
                    swatch(ui, e);
                    let text = if e.count > 1 {
                        format!("{} ({})", e.label, e.count)
                    } else {
                        e.label.clone()
                    };
                    ui.label(RichText::new(text).small());
                });
            }
        }
        if !layer.warnings.is_empty() {
            egui::CollapsingHeader::new(
                RichText::new(format!("{} warnings", layer.warnings.len()))
                    .small()
                    .color(ui.visuals().warn_fg_color),
            )
            .id_salt(("warnings", i))
            .show(ui, |ui| {
                for w in layer.warnings.iter().take(50) {
                    ui.label(RichText::new(w.to_string()).small());
                }
                if layer.warnings.len() > 50 {
                    ui.label(
                        RichText::new(format!("… {} more", layer.warnings.len() - 50)).small(),
                    );
                }
            });
        }
    }
}

fn feature_panel(ui: &mut egui::Ui, layer: &MapLayer, fi: usize, actions: &mut Vec<Action>) {
    let Some(f) = layer.features.get(fi) else {
        return;
    };
    egui::Panel::right("feature")
        .default_size(300.0)
        .resizable(true)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(f.name().unwrap_or("(unnamed feature)"));
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("Close").on_hover_text("Esc").clicked() {
                        actions.push(Action::ClearSelection);
                    }
                });
            });
            ui.label(RichText::new(format!("{} · feature {}", layer.name, f.index)).weak());
            if let Some(d) = &f.style.description {
                ui.label(d);
            }
            if let Some(g) = &f.geometry {
                ui.label(
                    RichText::new(crate::map::load::geometry_type(g))
                        .small()
                        .weak(),
                );
            }
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false; 2])
                .show(ui, |ui| {
                    egui::Grid::new("props")
                        .striped(true)
                        .num_columns(2)
                        .show(ui, |ui| {
                            if let Some(id) = &f.id {
                                ui.label(RichText::new("id").strong());
                                ui.label(id);
                                ui.end_row();
                            }
                            for (k, v) in &f.properties {
                                if k == "id" && f.id.as_deref() == v.as_str() {
                                    continue;
                                }
                                ui.label(RichText::new(k).strong());
                                ui.add(egui::Label::new(short(v)).wrap());
                                ui.end_row();
                            }
                        });
                });
        });
}

/// The hover tooltip, beside the pointer and kept inside the map's free area `free`.
fn tooltip(ui: &mut egui::Ui, m: &Model, free: egui::Rect) {
    let (Some((li, fi)), Some(p)) = (m.hover, m.pointer) else {
        return;
    };
    if m.dragging {
        return;
    }
    let Some(l) = m.layers.get(li) else { return };
    let Some(f) = l.layer.features.get(fi as usize) else {
        return;
    };
    // Right of and below the pointer, unless that leaves the map: then left of or above it.
    let (w, h) = (340.0, 160.0);
    let right = p.x + 16.0 + w <= free.right();
    let below = p.y + 16.0 + h <= free.bottom();
    let pivot = match (right, below) {
        (true, true) => Align2::LEFT_TOP,
        (false, true) => Align2::RIGHT_TOP,
        (true, false) => Align2::LEFT_BOTTOM,
        (false, false) => Align2::RIGHT_BOTTOM,
    };
    let at = p + egui::vec2(
        if right { 16.0 } else { -12.0 },
        if below { 16.0 } else { -12.0 },
    );
    egui::Area::new(egui::Id::unique("hover-tip"))
        .order(egui::Order::Tooltip)
        .pivot(pivot)
        .fixed_pos(at)
        .interactable(false)
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(320.0);
                ui.label(RichText::new(f.name().unwrap_or("(unnamed)")).strong());
                ui.label(RichText::new(&l.layer.name).small().weak());
                let mut shown = 0;
                for (k, v) in &f.properties {
                    if is_style_key(k) || v.is_null() || v.is_object() || v.is_array() {
                        continue;
                    }
                    if shown == 5 {
                        ui.label(RichText::new("…").small());
                        break;
                    }
                    ui.label(RichText::new(format!("{k}: {}", short(v))).small());
                    shown += 1;
                }
            });
        });
}

fn toasts(ui: &mut egui::Ui, m: &Model, free: egui::Rect) {
    if m.toasts.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::unique("toasts"))
        .order(egui::Order::Foreground)
        .anchor(
            Align2::RIGHT_BOTTOM,
            egui::vec2(
                -(ui.ctx().content_rect().right() - free.right()) - 12.0,
                -(ui.ctx().content_rect().bottom() - free.bottom()) - 12.0,
            ),
        )
        .interactable(false)
        .show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            for t in m.toasts.iter().rev().take(4).rev() {
                let (bg, fg) = if t.error {
                    (Color32::from_rgb(0x7a, 0x1f, 0x1f), Color32::WHITE)
                } else {
                    (Color32::from_rgb(0x23, 0x3a, 0x4f), Color32::WHITE)
                };
                egui::Frame::new()
                    .fill(bg)
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(RichText::new(&t.text).color(fg)).wrap());
                    });
                ui.add_space(4.0);
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_km(120.0), 100.0);
        assert_eq!(nice_km(99.0), 50.0);
        assert_eq!(nice_km(3.3), 2.0);
        assert_eq!(nice_km(0.7), 0.5);
    }

    #[test]
    fn colours_round_trip_through_linear() {
        let c = crate::map::style::Rgb(0x12, 0x80, 0xfe).linear(1.0);
        assert_eq!(linear_to_color(c), Color32::from_rgb(0x12, 0x80, 0xfe));
    }
}
