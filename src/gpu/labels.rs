//! Painting placed labels: egui paint jobs that `headless` and the window both draw over the
//! map (through egui-wgpu), so a label looks the same in a PNG and on screen.

use crate::map::labels::Label;

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
