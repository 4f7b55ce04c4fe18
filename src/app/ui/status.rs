//! The status bar: layers toggle, pointer position, scale bar, projection, activity, keys,
//! Save PNG and Home.

use egui::{RichText, Stroke};

use super::{Action, Model, STATUS_HEIGHT};

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

pub fn status_bar(ui: &mut egui::Ui, m: &Model, actions: &mut Vec<Action>) {
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
                    m.projection.unproject(w[0], w[1])
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
                ui.add(egui::Label::new(m.projection.kind.to_string()).truncate())
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
}
