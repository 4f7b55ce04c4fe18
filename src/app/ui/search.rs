//! Search (Ctrl+F): places, regions, borders and loaded features by name or alternate name,
//! diacritics folded ("seki" finds "Şəki"); results as you type, Enter flies to the first.

use egui::RichText;

use super::{Action, Model, Output, Panels};
use crate::map::layer::LayerKind;

/// A search result: layer, feature, the text shown.
pub type Hit = (usize, u32, String);

/// A query, the number of layers it was run over, and its results.
pub type Cached = (String, usize, Vec<Hit>);

/// Lower case without diacritics; the Azerbaijani schwa reads as "e" ("Şəki" -> "seki").
pub fn fold(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            'ə' | 'Ə' => 'e',
            c => c,
        })
        .collect();
    deunicode::deunicode(&s).to_lowercase()
}

/// The features whose name or an alternate name contains `query` (folded), names that start
/// with it first, then shorter names.
pub fn find(m: &Model, query: &str, max: usize) -> Vec<Hit> {
    let q = fold(query.trim());
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(bool, usize, usize, u32, String)> = Vec::new();
    for (li, l) in m.layers.iter().enumerate() {
        if l.layer.kind == LayerKind::Seas && !l.visible {
            continue;
        }
        for (fi, f) in l.layer.features.iter().enumerate() {
            let Some(name) = f.name() else { continue };
            let alts = f
                .properties
                .get("alt_names")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str());
            let best = std::iter::once(name)
                .chain(alts)
                .map(fold)
                .filter_map(|n| n.find(&q).map(|at| at == 0))
                .max();
            if let Some(prefix) = best {
                let shown = format!("{name} · {}", l.layer.name);
                hits.push((prefix, name.len(), li, fi as u32, shown));
            }
        }
    }
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter()
        .take(max)
        .map(|h| (h.2, h.3, h.4))
        .collect()
}

/// The search box at the top of the map, with its results under it.
pub fn search_box(
    ui: &mut egui::Ui,
    m: &Model,
    p: &mut Panels,
    free: egui::Rect,
    out: &mut Output,
) {
    let Some(query) = &mut p.search else {
        return;
    };
    let mut close = false;
    egui::Area::new(egui::Id::unique("search"))
        .order(egui::Order::Foreground)
        .fixed_pos(egui::pos2(free.left() + 12.0, free.top() + 12.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_width(300.0);
                let id = ui.make_persistent_id("place-search");
                // Focused before the field reads the keys: on a slow frame Ctrl+F and the
                // typing after it come in one frame. (After the Search button's click, egui
                // gets the typing a frame later: `keys_after_click`.)
                let opened = std::mem::take(&mut p.search_opened);
                if opened {
                    ui.memory_mut(|m| m.request_focus(id));
                }
                let r = ui.add(
                    egui::TextEdit::singleline(query)
                        .id(id)
                        .hint_text("Search a place, region, border…")
                        .desired_width(f32::INFINITY),
                );
                out.controls.push(("search".into(), r.rect));
                if !r.has_focus() && !r.lost_focus() {
                    r.request_focus();
                }
                let n = m.layers.len();
                let results = match &p.search_results {
                    Some((q, l, r)) if q == query.as_str() && *l == n => r.clone(),
                    _ => {
                        let r = find(m, query, 8);
                        p.search_results = Some((query.clone(), n, r.clone()));
                        r
                    }
                };
                let (enter, esc) = ui.input(|i| {
                    (
                        i.key_pressed(egui::Key::Enter),
                        i.key_pressed(egui::Key::Escape),
                    )
                });
                for (n, (li, fi, text)) in results.iter().enumerate() {
                    let b = ui.selectable_label(n == 0, RichText::new(text).small());
                    out.controls.push((format!("search-result:{n}"), b.rect));
                    if b.clicked() {
                        out.actions.push(Action::FlyToFeature(*li, *fi));
                        close = true;
                    }
                }
                if !query.trim().is_empty() && results.is_empty() {
                    ui.label(RichText::new("nothing found").small().weak());
                }
                // An Enter in the frame that opened the box ends the focus it gained there.
                if enter && (r.lost_focus() || opened) {
                    if let Some((li, fi, _)) = results.first() {
                        out.actions.push(Action::FlyToFeature(*li, *fi));
                        close = true;
                    }
                }
                if esc {
                    close = true;
                }
            });
        });
    if close {
        p.search = None;
        p.search_results = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_drops_diacritics_and_case() {
        assert_eq!(fold("Şəki"), "seki");
        assert_eq!(fold("Gəncə"), "gence");
        assert_eq!(fold("Tbilisi"), "tbilisi");
        assert_ne!(fold("Şəki"), fold("Sheki"));
    }
}
