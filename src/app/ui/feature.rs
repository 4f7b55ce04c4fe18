//! The selected feature's properties and the hover tooltip.

use egui::{Align2, RichText};

use super::{Action, Model};
use crate::map::layer::MapLayer;

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

pub fn feature_panel(ui: &mut egui::Ui, layer: &MapLayer, fi: usize, actions: &mut Vec<Action>) {
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
pub fn tooltip(ui: &mut egui::Ui, m: &Model, free: egui::Rect) {
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
