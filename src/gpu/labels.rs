//! Painting placed labels: egui paint jobs that `headless` and the window both draw over the
//! map (through egui-wgpu), so a label looks the same in a PNG and on screen.

use crate::map::labels::Label;

/// DejaVu Sans (Debian's `fonts-dejavu-core`, `data/README.md`): egui's own fonts lack letters of
/// the region's alphabets, such as Azerbaijani's ə ("Gəncə" drew as boxes).
const FALLBACK_FONT: &[u8] = include_bytes!("../../data/fonts/DejaVuSans.ttf");

/// An egui context whose text falls back to DejaVu Sans for glyphs egui's fonts lack (every
/// glyph they have is drawn as before). The window and `headless` both make theirs here.
pub fn egui_context() -> egui::Context {
    use egui::epaint::text::{FontInsert, FontPriority, InsertFontFamily};
    let ctx = egui::Context::default();
    let lowest = |family| InsertFontFamily {
        family,
        priority: FontPriority::Lowest,
    };
    ctx.add_font(FontInsert::new(
        "DejaVuSans",
        egui::FontData::from_static(FALLBACK_FONT),
        vec![
            lowest(egui::FontFamily::Proportional),
            lowest(egui::FontFamily::Monospace),
        ],
    ));
    ctx
}

/// Paints labels with a white halo. `pixels_per_point` converts the labels' physical pixels to egui points.
pub fn paint_labels(painter: &egui::Painter, labels: &[Label], pixels_per_point: f32) {
    use egui::{Align2, Color32, FontId, Pos2};
    for l in labels {
        let c = l.center();
        let pos = Pos2::new(c[0] / pixels_per_point, c[1] / pixels_per_point);
        let font = FontId::proportional(l.kind.font_size());
        let [r, g, b] = l.kind.color();
        let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 200);
        // Four copies around the text make the halo: each one is a full text draw, and eight
        // made labels the dearest part of a frame on a software rasterizer.
        for (dx, dy) in [(-1.0, -0.6), (1.0, 0.6), (-0.6, 1.0), (0.6, -1.0)] {
            painter.text(
                pos + egui::vec2(dx, dy),
                Align2::CENTER_CENTER,
                &l.text,
                font.clone(),
                halo,
            );
        }
        painter.text(
            pos,
            Align2::CENTER_CENTER,
            &l.text,
            font,
            Color32::from_rgb(r, g, b),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_schwa(ctx: &egui::Context) -> bool {
        ctx.run_ui(Default::default(), |_| {})
            .textures_delta
            .clear();
        ctx.fonts_mut(|f| f.has_glyph(&egui::FontId::proportional(14.0), 'ə'))
    }

    #[test]
    fn the_contexts_fonts_have_the_azerbaijani_schwa_that_eguis_lack() {
        assert!(!has_schwa(&egui::Context::default()), "egui's own fonts");
        assert!(has_schwa(&egui_context()));
    }
}
