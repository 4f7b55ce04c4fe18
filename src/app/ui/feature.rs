//! The selected feature's card (floating beside the feature, not a panel that narrows the map)
//! and the hover tooltip. Both show what a reader wants (name, kind, country, population, the
//! article's mentions as quoted snippets); every property is one click away in the card.

use egui::{Align2, RichText};

use super::{Action, LayerView, Model, Output};
use crate::map::layer::MapLayer;
use crate::map::load::PropValue;

fn short(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(short).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// [`short`] of a feature's property, without copying it into a `Value`.
fn short_prop(v: PropValue<'_>) -> String {
    match v {
        PropValue::Str(s) => s.to_string(),
        PropValue::Json(v) => short(v),
        other => other.to_string(),
    }
}

/// Country codes of the base map, as readers know them.
fn country_name(code: &str) -> &str {
    match code {
        "ARM" => "Armenia",
        "AZE" => "Azerbaijan",
        "GEO" => "Georgia",
        "IRN" => "Iran",
        "TUR" => "Turkey",
        "RUS" => "Russia",
        other => other,
    }
}

/// A population with thin thousands separators: 1 234 567.
fn population(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// The fields a reader wants, in order: (label, value).
pub fn reader_fields(layer: &MapLayer, fi: usize) -> Vec<(&'static str, String)> {
    let Some(f) = layer.features.get(fi) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(k) = f.prop_str("kind") {
        out.push(("kind", k.to_string()));
    }
    if let Some(c) = f.prop_str("country") {
        out.push(("country", country_name(c).to_string()));
    }
    if let Some(p) = f.properties.get("population").and_then(|v| v.as_u64()) {
        out.push(("population", population(p)));
    }
    if let Some(a) = f.properties.get("alt_names").filter(|v| v.is_array()) {
        out.push(("also called", short_prop(a)));
    }
    if let Some(d) = &f.style.description {
        out.push(("about", d.clone()));
    }
    let mentions = mention_snippets(layer, fi);
    if !mentions.is_empty() {
        out.push(("mentions", mentions.len().to_string()));
    }
    out
}

/// The article's mentions of a feature (an entity of an article layer), each quoted in its
/// surrounding words.
pub fn mention_snippets(layer: &MapLayer, fi: usize) -> Vec<String> {
    let Some(a) = layer.article.as_deref() else {
        return Vec::new();
    };
    let Some(e) = a.entities.get(fi) else {
        return Vec::new();
    };
    let text = &a.text;
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    e.mentions
        .iter()
        .filter(|m| m.end <= text.len() && text.is_char_boundary(m.start))
        .map(|m| {
            let from = floor(m.start.saturating_sub(40));
            let to = floor((m.end + 40).min(text.len()));
            let from = text[from..m.start].find(' ').map_or(from, |i| from + i + 1);
            let to = text[m.end..to].rfind(' ').map_or(to, |i| m.end + i);
            let snippet = text[from..to]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            format!("“…{snippet}…”")
        })
        .collect()
}

/// The card of the selected feature, beside it and inside the map's free area `free`.
pub fn card(
    ui: &mut egui::Ui,
    m: &Model,
    l: &LayerView,
    fi: usize,
    free: egui::Rect,
    out: &mut Output,
) {
    let layer = l.layer;
    let Some(f) = layer.features.get(fi) else {
        return;
    };
    let (w, h) = (300.0, 220.0);
    let at = m.selected_at.unwrap_or(free.center());
    // Right of the feature, unless that leaves the map: then left of it; never over it.
    let right = at.x + 24.0 + w <= free.right();
    let x = if right {
        at.x + 24.0
    } else {
        (at.x - 24.0 - w).max(free.left() + 8.0)
    };
    let y = (at.y - 40.0).clamp(free.top() + 8.0, (free.bottom() - h).max(free.top() + 8.0));
    let area = egui::Area::new(egui::Id::unique("feature-card"))
        .order(egui::Order::Middle)
        .fixed_pos(egui::pos2(x, y))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(w);
                ui.horizontal(|ui| {
                    ui.heading(f.name().unwrap_or("(unnamed feature)"));
                    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if ui.small_button("Close").on_hover_text("Esc").clicked() {
                            out.actions.push(Action::ClearSelection);
                        }
                    });
                });
                ui.label(RichText::new(&layer.name).small().weak());
                egui::Grid::new("reader-fields")
                    .num_columns(2)
                    .show(ui, |ui| {
                        for (k, v) in reader_fields(layer, fi) {
                            let r = ui.label(RichText::new(k).strong());
                            ui.add(egui::Label::new(v).wrap());
                            out.controls.push((format!("card:field:{k}"), r.rect));
                            ui.end_row();
                        }
                    });
                for s in mention_snippets(layer, fi).iter().take(4) {
                    ui.label(RichText::new(s).italics().small());
                }
                egui::CollapsingHeader::new(RichText::new("All properties").small())
                    .id_salt("all-properties")
                    .show(ui, |ui| {
                        egui::ScrollArea::vertical()
                            .max_height(160.0)
                            .show(ui, |ui| {
                                egui::Grid::new("props").striped(true).num_columns(2).show(
                                    ui,
                                    |ui| {
                                        for (k, v) in f.properties.iter() {
                                            ui.label(RichText::new(k).small().strong());
                                            ui.add(
                                                egui::Label::new(
                                                    RichText::new(short_prop(v)).small(),
                                                )
                                                .wrap(),
                                            );
                                            ui.end_row();
                                        }
                                    },
                                );
                            });
                    });
            });
        });
    out.controls.push(("card".into(), area.response.rect));
}

/// The hover tooltip, beside the pointer and kept inside the map's free area `free`.
pub fn tooltip(ui: &mut egui::Ui, m: &Model, free: egui::Rect) {
    let (Some((li, fi)), Some(p)) = (m.hover, m.pointer) else {
        return;
    };
    // Not for a feature lit from the article (the pointer is over the panel), nor for the one
    // whose card is open.
    if m.dragging || m.selected == Some((li, fi)) || !free.contains(p) {
        return;
    }
    let Some(l) = m.layers.get(li) else { return };
    let Some(f) = l.layer.features.get(fi as usize) else {
        return;
    };
    // Right of and below the pointer, unless that leaves the map: then left of or above it.
    let (w, h) = (300.0, 120.0);
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
                ui.set_max_width(w);
                ui.label(RichText::new(f.name().unwrap_or("(unnamed)")).strong());
                ui.label(RichText::new(&l.layer.name).small().weak());
                for (k, v) in reader_fields(l.layer, fi as usize) {
                    ui.label(RichText::new(format!("{k}: {v}")).small());
                }
            });
        });
}
