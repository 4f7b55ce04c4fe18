//! The layers panel: open files and recent ones, and per layer its visibility, opacity,
//! order, zoom, removal, legend and warnings.

use egui::{Color32, RichText, Stroke};

use super::{linear_to_color, Action, LayerView, LegendEntry, Model, Panels};
use crate::map::layer::{LayerKind, MapLayer};
use crate::mesh::vertex::FeatureStyle;

/// The distinct visible styles of a layer (at most `max`), most used first, each labelled by
/// what it means: the value of a property its features share and the other styles' features do
/// not (an article's "border", "place"), else the layer's name when it has one style.
pub fn legend(layer: &MapLayer, max: usize) -> Vec<LegendEntry> {
    let mut groups: Vec<(LegendEntry, Vec<usize>)> = Vec::new();
    // The projected geometry (a heavy file keeps no lon/lat; the kinds are the same).
    let projected = layer.projected.iter();
    for (i, ((f, s), g)) in layer
        .features
        .iter()
        .zip(&layer.styles)
        .zip(projected)
        .enumerate()
    {
        if s.flags & FeatureStyle::HIDDEN != 0 || g.is_none() {
            continue;
        }
        let g = g.as_ref();
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
            label: match layer.kind {
                LayerKind::Overlay => String::new(),
                _ if is_point => "place".into(),
                _ if is_line => "line".into(),
                _ => f.name().unwrap_or("area").to_string(),
            },
            count: 0,
        };
        let same =
            |x: &LegendEntry| x.fill == e.fill && x.stroke == e.stroke && x.marker == e.marker;
        match groups.iter_mut().find(|(x, _)| same(x)) {
            Some((x, members)) => {
                x.count += 1;
                members.push(i);
            }
            None => groups.push((LegendEntry { count: 1, ..e }, vec![i])),
        }
    }
    if layer.kind == LayerKind::Overlay {
        let labels = overlay_legend_labels(layer, &groups);
        for ((e, _), label) in groups.iter_mut().zip(labels) {
            e.label = label;
        }
    }
    let mut out: Vec<LegendEntry> = groups.into_iter().map(|g| g.0).collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.count));
    out.truncate(max);
    out
}

/// Keys that style a feature or hold internals: never what a legend group means.
const NOT_A_MEANING: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "marker-color",
    "marker-size",
    "marker-symbol",
    "name",
    "title",
    "id",
    "color_index",
    "mentions",
    "description",
    "population",
    "geonameid",
];

/// Labels for an overlay's style groups (see [`legend`]).
fn overlay_legend_labels(layer: &MapLayer, groups: &[(LegendEntry, Vec<usize>)]) -> Vec<String> {
    if groups.len() == 1 {
        return vec![layer.name.clone()];
    }
    let value = |fi: usize, key: &str| {
        layer.features[fi]
            .properties
            .get(key)
            .filter(|v| v.is_string() || v.is_number() || v.is_boolean())
            .map(|v| match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_string(),
            })
    };
    let Some((_, members)) = groups.first() else {
        return Vec::new();
    };
    // The first property that is constant within each group and differs between groups.
    let first = &layer.features[members[0]];
    for key in first.properties.keys() {
        if NOT_A_MEANING.contains(&key) {
            continue;
        }
        let per_group: Option<Vec<String>> = groups
            .iter()
            .map(|(_, members)| {
                let v = value(members[0], key)?;
                members
                    .iter()
                    .all(|&fi| value(fi, key).as_deref() == Some(v.as_str()))
                    .then_some(v)
            })
            .collect();
        if let Some(values) = per_group {
            let distinct: std::collections::HashSet<&String> = values.iter().collect();
            if distinct.len() == values.len() {
                return values;
            }
        }
    }
    (1..=groups.len())
        .map(|i| format!("{} · style {i}", layer.name))
        .collect()
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

/// The layers panel (resizable; egui remembers its width while the window is open).
pub fn layers_panel(
    ui: &mut egui::Ui,
    m: &Model,
    p: &mut Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let panel = egui::Panel::left("layers")
        .default_size(p.widths.layers)
        .min_size(180.0)
        .max_size(520.0)
        .resizable(true)
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
                    let paste = ui.button("Paste").on_hover_text(
                        "Paste article (Ctrl+V): the clipboard's text, read as an article",
                    );
                    controls.push(("paste-article".into(), paste.rect));
                    if paste.clicked() {
                        actions.push(Action::PasteArticle);
                    }
                });
            });
            path_field(ui, p, actions, controls);
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
    let r = panel.response.rect;
    super::remember_width(ui, r.width(), &mut p.widths.layers, &mut p.widths_changed);
    controls.push(("layers-panel".into(), r));
}

/// A path to type where no file dialog can be shown; Enter opens it, Esc closes the field.
fn path_field(
    ui: &mut egui::Ui,
    p: &mut Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let Some(text) = &mut p.path_field else {
        return;
    };
    ui.label(RichText::new("Open a file by its path:").small());
    let r = ui.add(
        egui::TextEdit::singleline(text)
            .hint_text("/path/to/file.geojson or article.txt")
            .desired_width(f32::INFINITY),
    );
    controls.push(("open-path".into(), r.rect));
    if !r.has_focus() && !r.lost_focus() && text.is_empty() {
        r.request_focus();
    }
    if r.lost_focus() {
        let (enter, esc) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if enter && !text.trim().is_empty() {
            actions.push(Action::OpenPath(text.trim().into()));
            p.path_field = None;
        } else if esc {
            p.path_field = None;
        }
    }
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
            if let Some(e) = l.reload_error {
                // Stays until the file loads again: the layer shows an older version.
                let badge = egui::Frame::new()
                    .fill(Color32::from_rgb(0x8a, 0x5a, 0x00))
                    .corner_radius(3.0)
                    .inner_margin(egui::Margin::symmetric(4, 1))
                    .show(ui, |ui| {
                        ui.label(
                            RichText::new("⚠ reload failed")
                                .small()
                                .color(Color32::WHITE),
                        )
                    })
                    .response
                    .on_hover_text(format!("Showing the last version that loaded. {e}"));
                controls.push((format!("badge:{}", layer.name), badge.rect));
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
        // Wrapped, so that an overlay's row never widens the panel: a wider panel after a
        // file opens would move the map under the user (and the view fitted to the file).
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().slider_width = 48.0;
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
        let info = match layer.features.len() {
            1 => "1 feature".to_string(),
            n => format!("{n} features"),
        };
        ui.label(RichText::new(info).small().weak());
        if !l.legend.is_empty()
            && (overlay || l.legend.len() > 1 || layer.kind != LayerKind::Countries)
        {
            for e in l.legend.iter().take(if overlay { 8 } else { 3 }) {
                ui.horizontal(|ui| {
                    swatch(ui, e);
                    let text = format!("{} · {}", e.label, e.count);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_legend_says_what_each_style_means() {
        let layer = crate::map::overlay::demo_layer(&crate::map::project::Projection::default());
        let legend = legend(&layer, 12);
        assert!(legend.len() >= 3, "{legend:?}");
        // The features drawn (an entity that could not be placed has no geometry).
        let kinds: Vec<&str> = layer
            .features
            .iter()
            .zip(&layer.styles)
            .filter(|(f, s)| f.geometry.is_some() && s.flags & FeatureStyle::HIDDEN == 0)
            .filter_map(|(f, _)| f.prop_str("kind"))
            .collect();
        for e in &legend {
            // Labelled by the entities' kind, counted in features of that kind.
            assert!(
                kinds.contains(&e.label.as_str()),
                "{:?} is not a kind",
                e.label
            );
            let n = kinds.iter().filter(|k| **k == e.label).count();
            assert_eq!(e.count, n, "{}", e.label);
        }
        let total: usize = legend.iter().map(|e| e.count).sum();
        assert_eq!(total, kinds.len());
    }

    #[test]
    fn an_article_without_places_has_an_empty_legend() {
        let article = crate::article::Article::parse("A note\n\nIt rained all week.\n");
        let layer = crate::map::overlay::article_layer(
            article,
            &crate::map::project::Projection::default(),
        );
        assert!(legend(&layer, 12).is_empty());
    }

    #[test]
    fn a_one_style_overlay_is_labelled_with_the_layer_name() {
        let text = r##"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"A","fill":"#ff0000"},"geometry":{"type":"Point","coordinates":[44,40]}},
          {"type":"Feature","properties":{"name":"B","fill":"#ff0000"},"geometry":{"type":"Point","coordinates":[45,41]}}]}"##;
        let dir = std::env::temp_dir().join(format!("legend-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("two.geojson");
        std::fs::write(&path, text).unwrap();
        let layer = crate::map::overlay::load_overlay(
            &path,
            &crate::map::project::Projection::default(),
            100,
        )
        .unwrap();
        let legend = legend(&layer, 12);
        assert_eq!(legend.len(), 1);
        assert_eq!(legend[0].label, "two.geojson");
        assert_eq!(legend[0].count, 2);
    }
}
