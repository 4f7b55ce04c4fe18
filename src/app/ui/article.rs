//! The article beside its overlay: the text with each mention highlighted in its entity's
//! overlay colour. Hovering a mention reports the entity (the app highlights it on the map);
//! an entity hovered on the map highlights its mentions; clicking a mention asks to fly to it.
//! Holds no wgpu objects; built from an article layer's typed entities.

use egui::{Color32, FontId, Sense, TextFormat};

use crate::map::layer::MapLayer;
use crate::map::style::Rgb;

/// One highlighted span of the text: byte range and the feature (entity) it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub feature: usize,
    pub colour: Rgb,
}

/// What the panel shows for one article layer.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub title: Option<String>,
    pub date: Option<String>,
    pub text: String,
    /// Sorted by start, non-overlapping.
    pub spans: Vec<Span>,
    /// The layer's feature (entity) names, by feature index.
    pub names: Vec<String>,
}

/// What the pointer did in the panel this frame, and where things are.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ArticleResponse {
    pub hovered: Option<usize>,
    pub clicked: Option<usize>,
    /// `article-title`, `mention:NAME` (the first mention of the entity NAME) and `lit-mention` (the
    /// first mention of the entity lit from the map), in points.
    pub rects: Vec<(String, egui::Rect)>,
}

impl ArticleView {
    /// The article of an article layer (its typed entities, in feature order); `None` for
    /// other layers.
    pub fn from_layer(layer: &MapLayer) -> Option<ArticleView> {
        let annotated = layer.article.as_deref()?;
        let text = annotated.text.clone();
        let mut spans = Vec::new();
        for (i, (f, e)) in layer.features.iter().zip(&annotated.entities).enumerate() {
            let colour = f
                .prop_str("stroke")
                .or_else(|| f.prop_str("marker-color"))
                .and_then(Rgb::parse)
                .unwrap_or(Rgb(0x55, 0x55, 0x55));
            for m in &e.mentions {
                let (start, end) = (m.start, m.end);
                if start < end
                    && end <= text.len()
                    && text.is_char_boundary(start)
                    && text.is_char_boundary(end)
                {
                    spans.push(Span {
                        start,
                        end,
                        feature: i,
                        colour,
                    });
                }
            }
        }
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        // Overlapping mentions (a border phrase containing a country name): the first, longer one wins.
        let mut kept: Vec<Span> = Vec::with_capacity(spans.len());
        for sp in spans {
            if kept.last().is_none_or(|k| sp.start >= k.end) {
                kept.push(sp);
            }
        }
        Some(ArticleView {
            title: annotated.article.title.clone(),
            date: annotated.article.date.clone(),
            text,
            spans: kept,
            names: layer
                .features
                .iter()
                .map(|f| f.name().unwrap_or("?").to_string())
                .collect(),
        })
    }

    /// The span at byte offset `at`.
    pub fn span_at(&self, at: usize) -> Option<&Span> {
        let i = self.spans.partition_point(|s| s.end <= at);
        self.spans.get(i).filter(|s| s.start <= at)
    }

    /// Draws the article; `lit` is the entity hovered on the map (its mentions get a stronger tint).
    pub fn ui(&self, ui: &mut egui::Ui, lit: Option<usize>) -> ArticleResponse {
        let mut out = ArticleResponse::default();
        if let Some(t) = &self.title {
            let r = ui.heading(t);
            out.rects.push(("article-title".into(), r.rect));
        }
        if let Some(d) = &self.date {
            ui.weak(d);
        }
        if self.spans.is_empty() {
            let r = ui.label(
                egui::RichText::new("No places, regions or borders found in this article")
                    .color(ui.visuals().warn_fg_color),
            );
            out.rects.push(("no-mentions".into(), r.rect));
        }
        ui.separator();
        let width = ui.available_width();
        let body = FontId::proportional(14.0);
        let text_colour = ui.visuals().text_color();
        let mut job = egui::text::LayoutJob {
            wrap: egui::text::TextWrapping {
                max_width: width,
                ..Default::default()
            },
            ..Default::default()
        };
        let mut at = 0;
        for sp in &self.spans {
            if sp.start > at {
                job.append(
                    &self.text[at..sp.start],
                    0.0,
                    TextFormat::simple(body.clone(), text_colour),
                );
            }
            let Rgb(r, g, b) = sp.colour;
            let alpha = if lit == Some(sp.feature) { 200 } else { 80 };
            let mut fmt = TextFormat::simple(body.clone(), text_colour);
            fmt.background = Color32::from_rgba_unmultiplied(r, g, b, alpha);
            job.append(&self.text[sp.start..sp.end], 0.0, fmt);
            at = sp.end;
        }
        if at < self.text.len() {
            job.append(&self.text[at..], 0.0, TextFormat::simple(body, text_colour));
        }
        let galley = ui.painter().layout_job(job);
        let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
        ui.painter().galley(rect.min, galley.clone(), text_colour);
        let span_rect = |sp: &Span| {
            let a = galley.pos_from_cursor(egui::text::CCursor::new(
                self.text[..sp.start].chars().count(),
            ));
            let b = galley.pos_from_cursor(egui::text::CCursor::new(
                self.text[..sp.end].chars().count(),
            ));
            // A mention broken over two lines: its first line's part.
            let b = if (b.min.y - a.min.y).abs() < 1.0 {
                b
            } else {
                a
            };
            egui::Rect::from_min_max(a.min, egui::pos2(b.max.x.max(a.max.x + 2.0), a.max.y))
                .translate(rect.min.to_vec2())
        };
        let mut seen = std::collections::HashSet::new();
        for sp in &self.spans {
            if seen.insert(sp.feature) {
                let name = self.names.get(sp.feature).map_or("?", String::as_str);
                out.rects.push((format!("mention:{name}"), span_rect(sp)));
            }
        }
        // Scroll to the lit entity's first mention when it becomes lit (not every frame: the
        // reader may scroll away while it stays lit).
        let id = ui.scope_id().with("scrolled-to");
        let last: Option<usize> = ui.data(|d| d.get_temp(id)).flatten();
        if let Some(sp) = lit.and_then(|f| self.spans.iter().find(|s| s.feature == f)) {
            let r = span_rect(sp);
            out.rects.push(("lit-mention".into(), r));
            if last != lit {
                ui.scroll_to_rect(r, Some(egui::Align::Center));
            }
        }
        ui.data_mut(|d| d.insert_temp(id, lit));
        if let Some(pos) = response.hover_pos() {
            let chars = galley.cursor_from_pos(pos - rect.min).index.0;
            let byte = self
                .text
                .char_indices()
                .nth(chars)
                .map_or(self.text.len(), |(b, _)| b);
            if let Some(sp) = self.span_at(byte) {
                out.hovered = Some(sp.feature);
                if response.clicked() {
                    out.clicked = Some(sp.feature);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_an_article_layer() {
        let layer = crate::map::overlay::demo_layer(&crate::map::project::Projection::default());
        let view = ArticleView::from_layer(&layer).unwrap();
        assert!(view.title.is_some());
        assert!(view.spans.len() >= 5);
        for w in view.spans.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        for sp in &view.spans {
            let f = &layer.features[sp.feature];
            assert!(!view.text[sp.start..sp.end].is_empty(), "{:?}", f.id);
            assert_eq!(view.span_at(sp.start), Some(sp));
        }
        // A border entity is among them, coloured like its overlay stroke.
        let border = view
            .spans
            .iter()
            .find(|s| layer.features[s.feature].prop_str("kind") == Some("border"))
            .unwrap();
        assert_eq!(
            Some(border.colour),
            layer.features[border.feature]
                .prop_str("stroke")
                .and_then(Rgb::parse)
        );
    }
}
