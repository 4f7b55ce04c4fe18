//! The status bar: layers toggle, pointer position, scale bar, projection, activity, keys,
//! Save PNG and Home.

use egui::{RichText, Stroke};

use crate::map::project::ProjectionKind;

use super::{Action, Model, Panels, STATUS_HEIGHT};

/// The keyboard and mouse shortcuts, as the Keys menu lists them.
const KEYS: &[(&str, &str)] = &[
    ("drag", "pan (flick for inertia)"),
    ("wheel, pinch", "zoom at the pointer"),
    ("double-click", "zoom in (selects nothing)"),
    ("+ / -", "zoom in / out"),
    ("arrows", "pan"),
    ("Home, 0", "the whole South Caucasus"),
    ("F", "fit the loaded files"),
    ("click", "select a feature (its card); Esc clears"),
    ("right-click", "copy the lon/lat under the pointer"),
    ("Ctrl+F", "search places, regions, borders, features"),
    ("M", "measure: click points; Esc ends"),
    ("G", "graticule (lines of latitude and longitude)"),
    ("L", "show or hide the layers panel"),
    ("Ctrl+O", "open files (or drop them on the map)"),
    ("Ctrl+V", "open the clipboard's text as an article"),
    ("F12, Ctrl+S", "save the view as PNG (a new file each time)"),
    ("Shift+F12", "save the view with the article panel"),
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

/// Below this width (points) the status bar leaves out what is least needed.
const NARROW: f32 = 1100.0;

pub fn status_bar(
    ui: &mut egui::Ui,
    m: &Model,
    panels: &mut Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    egui::Panel::bottom("status")
        .exact_size(STATUS_HEIGHT)
        .resizable(false)
        .show(ui, |ui| {
            // A narrow window (half a 1920 px screen is 960 points) gets a shorter scale bar and
            // projection menu, its tools in one menu, and no frame time.
            let narrow = ui.available_width() < NARROW;
            // The buttons on the right first: what is on the left gets the room they leave, and
            // the activity word is cut short rather than run under them.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                buttons(ui, m, narrow, panels, actions, controls);
                let mut room = ui.max_rect();
                room.set_right(ui.min_rect().left() - ui.spacing().item_spacing.x);
                let left = egui::UiBuilder::new()
                    .max_rect(room)
                    .layout(egui::Layout::left_to_right(egui::Align::Center));
                ui.scope_builder(left, |ui| {
                    // What still does not fit is cut at the buttons, never drawn under them.
                    ui.set_clip_rect(room.intersect(ui.clip_rect()));
                    readouts(ui, m, narrow, panels, actions, controls);
                });
            });
        });
}

/// The left end: layers toggle, pointer position, scale bar, projection and activity.
fn readouts(
    ui: &mut egui::Ui,
    m: &Model,
    narrow: bool,
    panels: &Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let toggle = if narrow {
        ui.selectable_label(panels.layers_open, RichText::new("Layers").small())
    } else if panels.layers_open {
        ui.small_button("Hide layers")
    } else {
        ui.small_button("Layers")
    }
    .on_hover_text("L: show or hide the layers panel");
    controls.push(("layers-toggle".into(), toggle.rect));
    if toggle.clicked() {
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
    // Four decimals (11 m), three (110 m) in a narrow window; a fixed width, so that what
    // follows does not jump as the pointer moves.
    let (decimals, width) = if narrow { (3, 124.0) } else { (4, 150.0) };
    let text = match lonlat {
        Some((lon, lat)) => format!(
            "{:.decimals$}°{} {:.decimals$}°{}",
            lat.abs(),
            if lat >= 0.0 { "N" } else { "S" },
            lon.abs(),
            if lon >= 0.0 { "E" } else { "W" }
        ),
        None => "—".into(),
    };
    ui.add_sized(
        [width, 18.0],
        egui::Label::new(RichText::new(text).monospace()),
    );
    ui.separator();
    scale_bar(ui, m, narrow);
    ui.separator();
    projection_menu(ui, m, narrow, actions, controls);
    // Activity: one spinner, a word for each thing under way (details on hover).
    let mut busy: Vec<String> = Vec::new();
    if !m.loading.is_empty() {
        busy.push(format!("loading {}", m.loading.len()));
    }
    if let Some(k) = m.switching {
        busy.push(format!("projecting to {}", full_name(k)));
    }
    if m.drawing {
        busy.push("drawing the map".into());
    }
    if !busy.is_empty() {
        ui.separator();
        let spinner = ui.spinner().on_hover_text(busy.join("\n"));
        let word = if m.loading.is_empty() {
            busy[0].split(' ').next().unwrap_or("").to_string()
        } else {
            busy[0].clone()
        };
        let word = ui
            .add(egui::Label::new(word).truncate())
            .on_hover_text(busy.join("\n"));
        controls.push(("activity".into(), spinner.rect.union(word.rect)));
    }
}

/// Scale bar: at most 120 points long (80 in a narrow window).
fn scale_bar(ui: &mut egui::Ui, m: &Model, narrow: bool) {
    let ppp = ui.ctx().pixels_per_point() as f64;
    let km_per_point = ppp / m.camera.scale;
    let km = nice_km(if narrow { 80.0 } else { 120.0 } * km_per_point);
    let len = (km / km_per_point) as f32;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(len + 4.0, 14.0), egui::Sense::hover());
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
}

/// The right end, laid out right to left: frame time, About, Keys, the tools (one menu in a
/// narrow window) and Home.
fn buttons(
    ui: &mut egui::Ui,
    m: &Model,
    narrow: bool,
    panels: &mut Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    if !narrow {
        ui.label(
            RichText::new(format!("{:.1} ms", m.frame_ms))
                .small()
                .weak(),
        )
        .on_hover_text("time to draw the last frame");
    }
    let about = ui.small_button("About");
    controls.push(("about-button".into(), about.rect));
    if about.clicked() {
        panels.about = !panels.about;
    }
    if narrow {
        let tools = ui.menu_button("Tools", |ui| {
            // A menu lists top to bottom what the bar shows right to left.
            ui.with_layout(egui::Layout::top_down(egui::Align::LEFT), |ui| {
                ui.menu_button("Keys", keys);
                tools(ui, m, false, panels, actions, controls);
            });
        });
        controls.push(("tools-menu".into(), tools.response.rect));
    } else {
        ui.menu_button("Keys", keys);
        tools(ui, m, true, panels, actions, controls);
    }
    let home = ui
        .small_button("Home")
        .on_hover_text("Home or 0; F fits the loaded files");
    controls.push(("home-button".into(), home.rect));
    if home.clicked() {
        actions.push(Action::Home);
    }
}

/// The Keys menu: the keyboard and mouse shortcuts.
fn keys(ui: &mut egui::Ui) {
    egui::Grid::new("keys").num_columns(2).show(ui, |ui| {
        for (k, what) in KEYS {
            ui.label(RichText::new(*k).monospace());
            ui.label(*what);
            ui.end_row();
        }
    });
}

/// Save PNG (and with the article), Grid, Measure and Search, each a control `tool:NAME`; the
/// toggles' text is `small` in the bar (as big as the buttons' there).
fn tools(
    ui: &mut egui::Ui,
    m: &Model,
    small: bool,
    panels: &mut Panels,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let text = |t: &str| {
        let t = RichText::new(t);
        if small {
            t.small()
        } else {
            t
        }
    };
    let mut tool = |r: egui::Response, name: &str, action: Option<Action>| {
        controls.push((format!("tool:{name}"), r.rect));
        if r.clicked() {
            actions.extend(action);
        }
        r.clicked()
    };
    if m.article.is_some() {
        let r = ui
            .small_button("+ article")
            .on_hover_text("Shift+F12: save the view with the article panel");
        tool(r, "+ article", Some(Action::ScreenshotWithArticle));
    }
    let r = ui.small_button("Save PNG").on_hover_text("F12 or Ctrl+S");
    tool(r, "Save PNG", Some(Action::Screenshot));
    let r = ui
        .selectable_label(m.graticule, text("Grid"))
        .on_hover_text("G: lines of latitude and longitude");
    tool(r, "Grid", Some(Action::ToggleGraticule));
    let r = ui
        .selectable_label(m.measure.is_some(), text("Measure"))
        .on_hover_text("M: click points on the map; Esc ends");
    tool(r, "Measure", Some(Action::ToggleMeasure));
    let r = ui.small_button("Search").on_hover_text("Ctrl+F");
    if tool(r, "Search", None) {
        panels.open_search();
    }
}

/// The projections the reader can choose, by what they are for, with the short name the
/// status bar shows.
const PROJECTIONS: &[(ProjectionKind, &str, &str)] = &[
    (ProjectionKind::Lcc, "Caucasus conic", "Conic"),
    (ProjectionKind::Mercator, "Web Mercator", "Mercator"),
    (ProjectionKind::EqualEarth, "World (Equal Earth)", "World"),
];

fn full_name(k: ProjectionKind) -> &'static str {
    PROJECTIONS.iter().find(|p| p.0 == k).map_or("?", |p| p.1)
}

fn short_name(k: ProjectionKind) -> &'static str {
    PROJECTIONS.iter().find(|p| p.0 == k).map_or("?", |p| p.2)
}

/// The projection in use, as a menu of the others (`--projection` in the window).
fn projection_menu(
    ui: &mut egui::Ui,
    m: &Model,
    narrow: bool,
    actions: &mut Vec<Action>,
    controls: &mut Vec<(String, egui::Rect)>,
) {
    let current = m.projection.kind;
    let mut menu = egui::ComboBox::from_id_salt("projection").selected_text(short_name(current));
    if narrow {
        menu = menu.width(76.0);
    }
    let menu = menu.show_ui(ui, |ui| {
        for &(k, name, _) in PROJECTIONS {
            let item = ui.selectable_label(k == current, name);
            controls.push((format!("projection:{name}"), item.rect));
            if item.clicked() && k != current {
                actions.push(Action::SetProjection(k));
            }
        }
    });
    controls.push(("projection-menu".into(), menu.response.rect));
    menu.response
        .on_hover_text(format!("{current}\n{}", m.adapter));
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
