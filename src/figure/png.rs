//! A figure as an image: the map and the inset drawn by the headless renderer, composed on a
//! white page, and the text, legend, scale bar and frames painted over it by egui.

use egui::{Align2, Color32, FontId, Pos2, Stroke, StrokeKind};

use crate::figure::content::Swatch;
use crate::figure::labels::{figure_labels, LineLabel};
use crate::figure::layout::{Area, TextItem};
use crate::figure::{figure_styles, Figure};
use crate::gpu::headless::Headless;
use crate::gpu::GpuError;
use crate::map::labels::Label;
use crate::map::layer::LayerKind;
use crate::map::style::palette;
use crate::map::Map;

/// Draws `figure` of `map`; overlays without a mesh are streamed as in `render`.
pub fn draw(
    headless: &mut Headless,
    map: &mut Map,
    figure: &Figure,
    labelled: bool,
    simplify_km: f64,
) -> Result<image::RgbaImage, GpuError> {
    let l = &figure.layout;
    // Labels go on with the rest of the text, borders' along their lines.
    let (labels, along) = if labelled {
        figure_labels(map, figure, &headless.visibility())
    } else {
        Default::default()
    };
    // The base map muted (see `BASE_WASH`), its own styles back once drawn.
    let background = headless.renderer.background;
    set_styles(headless, map, figure.base_wash);
    let page = compose(headless, map, figure, simplify_km);
    set_styles(headless, map, 0.0);
    headless.renderer.background = background;
    let page = page?;
    let ratio = figure.camera.pixel_ratio;
    headless.paint_over(&page, 1.0, |p| {
        let map_painter = p.with_clip_rect(rect(&l.map));
        paint_labels(&map_painter, &labels, &along, [l.map.x, l.map.y], ratio);
        paint(p, figure)
    })
}

/// The base layers' styles and the background on the device, washed by `wash` (0: their own).
fn set_styles(headless: &mut Headless, map: &Map, wash: f32) {
    let bg = palette::BACKGROUND.linear(1.0);
    let bg = crate::figure::washed(bg, wash);
    headless.renderer.background = wgpu::Color {
        r: bg[0] as f64,
        g: bg[1] as f64,
        b: bg[2] as f64,
        a: 1.0,
    };
    for (g, layer) in headless.layers.iter_mut().zip(&map.layers) {
        if layer.kind == LayerKind::Overlay {
            continue;
        }
        let styles = figure_styles(layer, wash).unwrap_or_else(|| layer.styles.clone());
        headless
            .renderer
            .update_styles(&headless.gpu.queue, g, &styles);
    }
}

/// The map and the inset images on a white page.
fn compose(
    headless: &mut Headless,
    map: &mut Map,
    figure: &Figure,
    simplify_km: f64,
) -> Result<image::RgbaImage, GpuError> {
    let l = &figure.layout;
    let map_image = headless.render_streaming(map, &figure.camera, false, simplify_km)?;
    let mut page = image::RgbaImage::from_pixel(l.size[0], l.size[1], image::Rgba([255; 4]));
    image::imageops::replace(&mut page, &map_image, l.map.x as i64, l.map.y as i64);
    if let (Some(inset), Some(area)) = (&figure.inset, l.inset) {
        // The inset shows the base map alone.
        let shown = headless.visibility();
        for (g, layer) in headless.layers.iter_mut().zip(&map.layers) {
            g.visible &= layer.kind != LayerKind::Overlay && layer.kind != LayerKind::Places;
        }
        let image = headless.render(&inset.camera);
        for (g, v) in headless.layers.iter_mut().zip(shown) {
            g.visible = v;
        }
        image::imageops::replace(&mut page, &image?, area.x as i64, area.y as i64);
    }
    Ok(page)
}

/// The map's labels as `gpu::labels` paints them (white halo), moved to the map's box; line
/// labels turned along their lines.
fn paint_labels(
    p: &egui::Painter,
    labels: &[Label],
    along: &[LineLabel],
    at: [f32; 2],
    ratio: f32,
) {
    let halo = Color32::from_rgba_unmultiplied(255, 255, 255, 200);
    let nudges = [(-1.0, -0.6), (1.0, 0.6), (-0.6, 1.0), (0.6, -1.0)];
    for l in labels {
        let c = l.center();
        let pos = Pos2::new(at[0] + c[0], at[1] + c[1]);
        let font = FontId::proportional(l.kind.font_size() * ratio);
        for (dx, dy) in nudges {
            let d = egui::vec2(dx, dy) * ratio;
            p.text(pos + d, Align2::CENTER_CENTER, &l.text, font.clone(), halo);
        }
        let [r, g, b] = l.kind.color();
        p.text(
            pos,
            Align2::CENTER_CENTER,
            &l.text,
            font,
            Color32::from_rgb(r, g, b),
        );
    }
    for l in along {
        let font = FontId::proportional(l.size);
        let [r, g, b] = l.color;
        let ink = Color32::from_rgb(r, g, b);
        let (s, c) = l.angle.sin_cos();
        for (d, color) in nudges
            .iter()
            .map(|&(dx, dy)| (egui::vec2(dx, dy) * ratio, halo))
            .chain([(egui::Vec2::ZERO, ink)])
        {
            let galley = p.layout_no_wrap(l.text.clone(), font.clone(), color);
            let half = galley.size() / 2.0;
            // The galley turns about its top left corner: put its centre on the label's.
            let turned = egui::vec2(c * half.x - s * half.y, s * half.x + c * half.y);
            let pos = Pos2::new(at[0] + l.center[0], at[1] + l.center[1]) - turned + d;
            p.add(egui::epaint::TextShape::new(pos, galley, color).with_angle(l.angle));
        }
    }
}

fn rect(a: &Area) -> egui::Rect {
    egui::Rect::from_min_size(Pos2::new(a.x, a.y), egui::vec2(a.w, a.h))
}

fn color(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

fn text(p: &egui::Painter, t: &TextItem) {
    p.text(
        Pos2::new(t.pos[0], t.pos[1]),
        Align2::LEFT_TOP,
        &t.text,
        FontId::proportional(t.size),
        Color32::from_rgb(t.color[0], t.color[1], t.color[2]),
    );
}

/// A translucent white panel over the map, for the legend and the scale bar.
fn panel(p: &egui::Painter, a: &Area, u: f32) {
    p.rect(
        rect(a),
        4.0 * u,
        Color32::from_rgba_unmultiplied(255, 255, 255, 225),
        Stroke::new(u, Color32::from_gray(170)),
        StrokeKind::Inside,
    );
}

/// Everything but the map and inset images.
fn paint(p: &egui::Painter, figure: &Figure) {
    let l = &figure.layout;
    let u = l.unit;
    p.rect_stroke(
        rect(&l.map),
        0.0,
        Stroke::new(u, Color32::from_gray(120)),
        StrokeKind::Outside,
    );
    for t in l.title.iter().chain(&l.subtitle).chain(&l.credits) {
        text(p, t);
    }
    if let Some(legend) = &l.legend {
        panel(p, &legend.area, u);
        text(p, &legend.heading);
        for row in &legend.rows {
            swatch(p, &row.swatch_area, &row.swatch, u);
            text(p, &row.text);
        }
    }
    if let Some(s) = &l.scale_bar {
        panel(p, &s.area, u);
        text(p, &s.label);
        text(p, &s.note);
        // Two halves, dark and light, as on printed maps.
        let half = Area {
            w: s.bar.w / 2.0,
            ..s.bar
        };
        p.rect_filled(rect(&half), 0.0, Color32::from_gray(30));
        p.rect_stroke(
            rect(&s.bar),
            0.0,
            Stroke::new(u, Color32::from_gray(30)),
            StrokeKind::Inside,
        );
    }
    if let (Some(inset), Some(area)) = (&figure.inset, &l.inset) {
        p.rect_stroke(
            rect(area),
            0.0,
            Stroke::new(1.5 * u, Color32::from_gray(60)),
            StrokeKind::Outside,
        );
        let f = inset.frame;
        // At least a few pixels, so that a small view still shows as a box.
        let c = [(f[0] + f[2]) / 2.0, (f[1] + f[3]) / 2.0];
        let half = [
            ((f[2] - f[0]) / 2.0).max(3.0 * u),
            ((f[3] - f[1]) / 2.0).max(3.0 * u),
        ];
        let frame = egui::Rect::from_min_max(
            Pos2::new(area.x + c[0] - half[0], area.y + c[1] - half[1]),
            Pos2::new(area.x + c[0] + half[0], area.y + c[1] + half[1]),
        )
        .intersect(rect(area));
        p.rect_stroke(
            frame,
            0.0,
            Stroke::new(2.0 * u, Color32::from_rgb(0xd0, 0x20, 0x20)),
            StrokeKind::Middle,
        );
    }
}

fn swatch(p: &egui::Painter, a: &Area, s: &Swatch, u: f32) {
    match *s {
        Swatch::Area { fill, stroke } => {
            p.rect(
                rect(a),
                0.0,
                color(fill),
                Stroke::new(1.5 * u, color(stroke)),
                StrokeKind::Inside,
            );
        }
        Swatch::Line { color: c } => {
            let y = a.y + a.h / 2.0;
            p.line_segment(
                [Pos2::new(a.x, y), Pos2::new(a.right(), y)],
                Stroke::new(4.0 * u, color(c)),
            );
        }
        Swatch::Marker { color: c } => {
            let centre = Pos2::new(a.x + a.w / 2.0, a.y + a.h / 2.0);
            p.circle(
                centre,
                a.h / 2.0 + u,
                color(c),
                Stroke::new(1.5 * u, Color32::WHITE),
            );
        }
    }
}
