//! Toasts: short messages in the map's lower right corner.

use std::time::Instant;

use egui::{Align2, Color32, RichText};

use super::Model;

#[derive(Debug, Clone)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub until: Instant,
}

pub fn toasts(ui: &mut egui::Ui, m: &Model, free: egui::Rect) {
    if m.toasts.is_empty() {
        return;
    }
    egui::Area::new(egui::Id::unique("toasts"))
        .order(egui::Order::Foreground)
        .anchor(
            Align2::RIGHT_BOTTOM,
            egui::vec2(
                -(ui.ctx().content_rect().right() - free.right()) - 12.0,
                -(ui.ctx().content_rect().bottom() - free.bottom()) - 12.0,
            ),
        )
        .interactable(false)
        .show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            for t in m.toasts.iter().rev().take(4).rev() {
                let (bg, fg) = if t.error {
                    (Color32::from_rgb(0x7a, 0x1f, 0x1f), Color32::WHITE)
                } else {
                    (Color32::from_rgb(0x23, 0x3a, 0x4f), Color32::WHITE)
                };
                egui::Frame::new()
                    .fill(bg)
                    .corner_radius(6.0)
                    .inner_margin(egui::Margin::symmetric(10, 6))
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(RichText::new(&t.text).color(fg)).wrap());
                    });
                ui.add_space(4.0);
            }
        });
}
