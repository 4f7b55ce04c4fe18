//! Map tools drawn by egui over the map: the graticule, the measure tool's path and distance,
//! and the About box with the data credits.

use egui::{Color32, RichText, Stroke};

use super::{Model, Panels};

/// Great-circle distance in km between (lon, lat) points.
pub fn distance_km(points: &[[f64; 2]]) -> f64 {
    use geo::{Distance, Haversine, Point};
    points
        .windows(2)
        .map(|w| Haversine.distance(Point::new(w[0][0], w[0][1]), Point::new(w[1][0], w[1][1])))
        .sum::<f64>()
        / 1000.0
}

/// A (lon, lat) point on screen, in points.
fn to_screen(m: &Model, ppp: f64, lon: f64, lat: f64) -> Option<egui::Pos2> {
    let (x, y) = m.projection.project(lon, lat)?;
    let s = m.camera.world_to_screen([x, y]);
    Some(egui::pos2((s[0] / ppp) as f32, (s[1] / ppp) as f32))
}

/// Lines of latitude and longitude over the map's free area, spaced to the zoom.
pub fn graticule(painter: &egui::Painter, m: &Model, free: egui::Rect, ppp: f32) {
    let ppp = ppp as f64;
    let km_per_point = ppp / m.camera.scale;
    // About one line per 120 points: 111 km per degree of latitude.
    let want = 120.0 * km_per_point / 111.0;
    let step = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|s| *s >= want)
        .unwrap_or(10.0);
    let stroke = Stroke::new(1.0, Color32::from_rgba_unmultiplied(40, 60, 90, 150));
    let painter = painter.with_clip_rect(free);
    let lines = |fixed_lon: bool, v: f64| -> Vec<egui::Pos2> {
        (0..=60)
            .filter_map(|i| {
                let t = i as f64 / 60.0;
                let (lon, lat) = if fixed_lon {
                    (v, 30.0 + 25.0 * t)
                } else {
                    (30.0 + 35.0 * t, v)
                };
                to_screen(m, ppp, lon, lat)
            })
            .collect()
    };
    let mut lon = (30.0 / step).ceil() * step;
    while lon <= 65.0 {
        painter.add(egui::Shape::line(lines(true, lon), stroke));
        lon += step;
    }
    let mut lat = (30.0 / step).ceil() * step;
    while lat <= 55.0 {
        painter.add(egui::Shape::line(lines(false, lat), stroke));
        lat += step;
    }
}

/// The measure tool's path, its points and the distance so far.
pub fn measure_overlay(
    ui: &mut egui::Ui,
    m: &Model,
    points: &[[f64; 2]],
    free: egui::Rect,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let ppp = ui.ctx().pixels_per_point() as f64;
    let painter = ui
        .ctx()
        .layer_painter(egui::LayerId::new(
            egui::Order::Middle,
            egui::Id::unique("measure"),
        ))
        .with_clip_rect(free);
    let screen: Vec<egui::Pos2> = points
        .iter()
        .filter_map(|p| to_screen(m, ppp, p[0], p[1]))
        .collect();
    let colour = Color32::from_rgb(0xe0, 0x20, 0x80);
    painter.add(egui::Shape::line(screen.clone(), Stroke::new(2.5, colour)));
    for p in &screen {
        painter.circle_filled(*p, 4.0, colour);
    }
    let km = distance_km(points);
    let text = match points.len() {
        0 => "Measure: click points on the map (Esc ends)".to_string(),
        1 => "Measure: click the next point".to_string(),
        _ => format!("{km:.1} km"),
    };
    let r = egui::Area::new(egui::Id::unique("measure-readout"))
        .order(egui::Order::Foreground)
        .interactable(false)
        .fixed_pos(egui::pos2(free.left() + 12.0, free.bottom() - 40.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(text).strong().color(colour));
            });
        });
    controls.push(("measure".into(), r.response.rect));
}

/// The About box: what borderlens is, and whose data it draws.
pub fn about(ui: &mut egui::Ui, p: &mut Panels, controls: &mut Vec<(String, egui::Rect)>) {
    let mut open = p.about;
    let w = egui::Window::new("About borderlens")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::vec2(0.0, 0.0))
        .show(ui.ctx(), |ui| {
            ui.label(format!(
                "borderlens {}: a map of the South Caucasus that shows what a news article mentions.",
                env!("CARGO_PKG_VERSION")
            ));
            ui.separator();
            ui.label(RichText::new("Data").strong());
            ui.label("Made with Natural Earth: free vector map data @ naturalearthdata.com (public domain).");
            ui.label("Place data © GeoNames (geonames.org), CC BY 4.0.");
            ui.label("Rivers: WDBII (LGPL-3.0-or-later).");
            ui.separator();
            ui.label(RichText::new("Software").strong());
            ui.label("wgpu, winit, egui, lyon, geo, geojson, notify and the other crates listed in the README.");
            ui.label("Font for letters such as ə: DejaVu Sans, © 2003 Bitstream, Inc. (Bitstream Vera licence; DejaVu changes public domain), licence in data/fonts/LICENSE.");
            ui.label("borderlens is licensed MIT OR Apache-2.0.");
        });
    if let Some(w) = w {
        controls.push(("about".into(), w.response.rect));
    }
    p.about = open;
}
