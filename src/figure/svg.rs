//! A figure as SVG with the same layout as the PNG: fills and strokes as paths simplified to
//! the figure's scale (no raster anywhere), text as `<text>` so that editors can change it, a
//! `<g id=...>` per drawn layer and per mentioned entity.

use std::fmt::Write;

use geo::{BoundingRect, Geometry, Intersects, LineString};

use crate::figure::content::{entity_id, slug, srgb, Swatch};
use crate::figure::labels::figure_labels;
use crate::figure::layout::{Area, TextItem};
use crate::figure::Figure;
use crate::map::camera::Camera;
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::Map;
use crate::mesh::simplify::simplify;
use crate::mesh::tessellate::TessInput;
use crate::mesh::vertex::FeatureStyle;

/// Paths keep no detail finer than this (output pixels).
const SIMPLIFY_PX: f64 = 0.4;
/// egui's font first, then what an editor's machine likely has.
const FONT_FAMILY: &str = "Ubuntu, 'DejaVu Sans', Arial, sans-serif";

/// The figure as an SVG document; `visible` says which layers are drawn.
pub fn write(map: &Map, figure: &Figure, visible: &[bool], labelled: bool) -> String {
    let l = &figure.layout;
    let (w, h) = (l.size[0], l.size[1]);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}">"#
    );
    let _ = writeln!(
        s,
        r##"<rect id="page" width="{w}" height="{h}" fill="#ffffff"/>"##
    );
    s += "<defs>\n";
    clip(&mut s, "map-clip", &l.map);
    if let Some(a) = &l.inset {
        clip(&mut s, "inset-clip", a);
    }
    s += "</defs>\n";
    let bg = super::washed(
        crate::map::style::palette::BACKGROUND.linear(1.0),
        figure.base_wash,
    );
    let bg = super::content::srgb(bg);
    let _ = writeln!(s, r#"<g id="map" clip-path="url(#map-clip)">"#);
    rect(&mut s, &l.map, &paint([bg[0], bg[1], bg[2], 255]), None);
    let offset = [l.map.x as f64, l.map.y as f64];
    for (i, layer) in map.layers.iter().enumerate() {
        if visible.get(i).copied().unwrap_or(true) {
            write_layer(
                &mut s,
                layer,
                i,
                &figure.camera,
                offset,
                "",
                figure.base_wash,
            );
        }
    }
    if labelled {
        write_labels(&mut s, map, figure, visible, offset);
    }
    s += "</g>\n";
    let framed = l.map.x > 0.0;
    let _ = framed
        && writeln!(
        s,
        r##"<rect id="map-frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#787878" stroke-width="{}"/>"##,
        l.map.x - l.unit / 2.0,
        l.map.y - l.unit / 2.0,
        l.map.w + l.unit,
        l.map.h + l.unit,
        l.unit
    ).is_ok();
    if let (Some(inset), Some(a)) = (&figure.inset, &l.inset) {
        let _ = writeln!(s, r#"<g id="inset" clip-path="url(#inset-clip)">"#);
        rect(&mut s, a, &paint([bg[0], bg[1], bg[2], 255]), None);
        for (i, layer) in map.layers.iter().enumerate() {
            let base = layer.kind != LayerKind::Overlay && layer.kind != LayerKind::Places;
            if base && visible.get(i).copied().unwrap_or(true) {
                write_layer(
                    &mut s,
                    layer,
                    i,
                    &inset.camera,
                    [a.x as f64, a.y as f64],
                    "inset-",
                    figure.base_wash,
                );
            }
        }
        let f = inset.frame;
        let u = l.unit;
        let c = [(f[0] + f[2]) / 2.0, (f[1] + f[3]) / 2.0];
        let half = [
            ((f[2] - f[0]) / 2.0).max(3.0 * u),
            ((f[3] - f[1]) / 2.0).max(3.0 * u),
        ];
        let _ = writeln!(
            s,
            r##"<rect id="inset-view" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="none" stroke="#d02020" stroke-width="{:.2}"/>"##,
            a.x + c[0] - half[0],
            a.y + c[1] - half[1],
            2.0 * half[0],
            2.0 * half[1],
            2.0 * u
        );
        s += "</g>\n";
        let _ = writeln!(
            s,
            r##"<rect id="inset-frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#3c3c3c" stroke-width="{}"/>"##,
            a.x - 0.75 * u,
            a.y - 0.75 * u,
            a.w + 1.5 * u,
            a.h + 1.5 * u,
            1.5 * u
        );
    }
    write_furniture(&mut s, figure);
    s += "</svg>\n";
    s
}

/// Title, subtitle, legend, scale bar and credits.
fn write_furniture(s: &mut String, figure: &Figure) {
    let l = &figure.layout;
    let u = l.unit;
    if !l.title.is_empty() || l.subtitle.is_some() {
        s.push_str("<g id=\"title\">\n");
        for t in l.title.iter().chain(&l.subtitle) {
            text(s, t);
        }
        s.push_str("</g>\n");
    }
    if let Some(legend) = &l.legend {
        s.push_str("<g id=\"legend\">\n");
        panel(s, &legend.area, u);
        text(s, &legend.heading);
        for row in &legend.rows {
            let a = &row.swatch_area;
            match row.swatch {
                Swatch::Area { fill, stroke } => {
                    let inner = Area {
                        x: a.x + 0.75 * u,
                        y: a.y + 0.75 * u,
                        w: a.w - 1.5 * u,
                        h: a.h - 1.5 * u,
                    };
                    rect(
                        s,
                        &inner,
                        &paint(fill),
                        Some((&stroke_paint(stroke), 1.5 * u)),
                    );
                }
                Swatch::Line { color } => {
                    let y = a.y + a.h / 2.0;
                    let _ = writeln!(
                        s,
                        r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" {} stroke-width="{:.2}"/>"#,
                        a.x,
                        a.right(),
                        stroke_paint(color),
                        4.0 * u
                    );
                }
                Swatch::Marker { color } => {
                    let _ = writeln!(
                        s,
                        r##"<circle cx="{:.1}" cy="{:.1}" r="{:.2}" {} stroke="#ffffff" stroke-width="{:.2}"/>"##,
                        a.x + a.w / 2.0,
                        a.y + a.h / 2.0,
                        a.h / 2.0 + 0.25 * u,
                        paint(color),
                        1.5 * u
                    );
                }
            }
            text(s, &row.text);
        }
        s.push_str("</g>\n");
    }
    if let Some(b) = &l.scale_bar {
        s.push_str("<g id=\"scale-bar\">\n");
        panel(s, &b.area, u);
        text(s, &b.label);
        let half = Area {
            w: b.bar.w / 2.0,
            ..b.bar
        };
        rect(s, &half, r##"fill="#1e1e1e""##, None);
        let inner = Area {
            x: b.bar.x + 0.5 * u,
            y: b.bar.y + 0.5 * u,
            w: b.bar.w - u,
            h: b.bar.h - u,
        };
        rect(
            s,
            &inner,
            r#"fill="none""#,
            Some((r##"stroke="#1e1e1e""##, u)),
        );
        text(s, &b.note);
        s.push_str("</g>\n");
    }
    if let Some(c) = &l.credits {
        s.push_str("<g id=\"credits\">\n");
        text(s, c);
        s.push_str("</g>\n");
    }
}

fn clip(s: &mut String, id: &str, a: &Area) {
    let _ = writeln!(
        s,
        r#"<clipPath id="{id}"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
        a.x, a.y, a.w, a.h
    );
}

fn rect(s: &mut String, a: &Area, fill: &str, stroke: Option<(&str, f32)>) {
    let stroke = stroke
        .map(|(p, w)| format!(r#" {p} stroke-width="{w:.2}""#))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        r#"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" {fill}{stroke}/>"#,
        a.x, a.y, a.w, a.h
    );
}

fn panel(s: &mut String, a: &Area, u: f32) {
    let _ = writeln!(
        s,
        r##"<rect x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" rx="{:.1}" fill="#ffffff" fill-opacity="0.88" stroke="#aaaaaa" stroke-width="{u:.2}"/>"##,
        a.x + u / 2.0,
        a.y + u / 2.0,
        a.w - u,
        a.h - u,
        4.0 * u
    );
}

/// A text item; its top-left position becomes the baseline egui's font puts it on.
fn text(s: &mut String, t: &TextItem) {
    let [r, g, b] = t.color;
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" font-size="{:.2}" fill="{}">{}</text>"#,
        t.pos[0],
        t.pos[1] + 0.93 * t.size,
        t.size,
        hex([r, g, b, 255]),
        escape(&t.text)
    );
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn hex(c: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// `fill="..."` with its opacity.
fn paint(c: [u8; 4]) -> String {
    if c[3] == 255 {
        format!(r#"fill="{}""#, hex(c))
    } else {
        format!(
            r#"fill="{}" fill-opacity="{:.3}""#,
            hex(c),
            c[3] as f32 / 255.0
        )
    }
}

fn stroke_paint(c: [u8; 4]) -> String {
    if c[3] == 255 {
        format!(r#"stroke="{}""#, hex(c))
    } else {
        format!(
            r#"stroke="{}" stroke-opacity="{:.3}""#,
            hex(c),
            c[3] as f32 / 255.0
        )
    }
}

/// Whether the shader would draw a feature with `style` at this camera's scale.
fn shown(style: &FeatureStyle, camera: &Camera) -> bool {
    style.flags & FeatureStyle::HIDDEN == 0
        && (camera.scale / camera.pixel_ratio as f64) >= style.min_scale as f64
}

/// One layer's group: as the renderer stacks it, all fills, then all strokes, then all
/// markers; an article's entities each get their own group. Group ids start with `prefix`.
fn write_layer(
    s: &mut String,
    layer: &MapLayer,
    index: usize,
    camera: &Camera,
    offset: [f64; 2],
    prefix: &str,
    wash: f32,
) {
    let washed = super::figure_styles(layer, wash);
    let styles = washed.as_deref().unwrap_or(&layer.styles);
    let view = camera.visible_world();
    let pad = 30.0 * camera.pixel_ratio as f64 / camera.scale;
    let view = geo::Rect::new(
        geo::coord! {x: view.min().x - pad, y: view.min().y - pad},
        geo::coord! {x: view.max().x + pad, y: view.max().y + pad},
    );
    let inputs: Vec<TessInput> = layer
        .tess_inputs()
        .into_iter()
        .filter(|t| shown(&styles[t.feature as usize], camera))
        .filter(|t| {
            t.geometry
                .bounding_rect()
                .is_some_and(|b| b.intersects(&view))
        })
        .collect();
    let id = match (&layer.kind, &layer.article) {
        (LayerKind::Overlay, Some(_)) => format!("article-{}", slug(&layer.name)),
        (LayerKind::Overlay, None) => format!("overlay-{index}"),
        (kind, _) => kind.key().to_string(),
    };
    let tolerance = SIMPLIFY_PX / camera.scale;
    let px = |c: geo::Coord<f64>| {
        let p = camera.world_to_screen([c.x, c.y]);
        [p[0] + offset[0], p[1] + offset[1]]
    };
    let _ = writeln!(s, r#"<g id="{prefix}{id}">"#);
    if let Some(article) = &layer.article {
        for t in &inputs {
            let f = t.feature as usize;
            // An entity's group, or a further feature's by its id (a border's faint rest).
            let gid = article
                .entities
                .get(f)
                .map(|e| entity_id(&e.id))
                .or_else(|| layer.features.get(f)?.id.as_deref().map(entity_id))
                .unwrap_or_else(|| format!("{id}-{f}"));
            let _ = writeln!(s, r#"<g id="{gid}">"#);
            let g = simplify(t.geometry, tolerance);
            feature_paths(s, &g, t, &styles[f], camera, &px, Part::All);
            s.push_str("</g>\n");
        }
    } else {
        let simplified: Vec<Geometry<f64>> = inputs
            .iter()
            .map(|t| simplify(t.geometry, tolerance))
            .collect();
        for part in [Part::Fill, Part::Stroke, Part::Marker] {
            for (t, g) in inputs.iter().zip(&simplified) {
                feature_paths(s, g, t, &styles[t.feature as usize], camera, &px, part);
            }
        }
    }
    s.push_str("</g>\n");
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Fill,
    Stroke,
    Marker,
    All,
}

/// The paths of one feature's `part`.
fn feature_paths(
    s: &mut String,
    g: &Geometry<f64>,
    t: &TessInput,
    style: &FeatureStyle,
    camera: &Camera,
    px: &impl Fn(geo::Coord<f64>) -> [f64; 2],
    part: Part,
) {
    let ratio = camera.pixel_ratio;
    let want = |p: Part| part == Part::All || part == p;
    let mut polygons = String::new();
    let mut lines = String::new();
    let mut points = Vec::new();
    collect(g, px, &mut polygons, &mut lines, &mut points);
    if want(Part::Fill) && t.fill && !polygons.is_empty() {
        let _ = writeln!(
            s,
            r#"<path d="{polygons}" {} fill-rule="evenodd"/>"#,
            paint(srgb(style.fill))
        );
    }
    if want(Part::Stroke) && style.stroke_width > 0.0 && style.stroke[3] > 0.0 {
        // The shader draws lines under a pixel one pixel wide and fainter.
        let w = style.stroke_width * ratio;
        let mut c = style.stroke;
        c[3] *= w.min(1.0);
        let outline = if t.outline { polygons.as_str() } else { "" };
        let d = format!("{outline}{lines}");
        if !d.is_empty() {
            let _ = writeln!(
                s,
                r#"<path d="{d}" fill="none" {} stroke-width="{:.2}" stroke-linejoin="miter" stroke-miterlimit="3"/>"#,
                stroke_paint(srgb(c)),
                w.max(1.0)
            );
        }
    }
    if want(Part::Marker) && style.marker_radius > 0.0 {
        let r = style.marker_radius * ratio;
        for p in points {
            // As the shader: a disc with a white ring 1.5 px wide inside its edge.
            let _ = writeln!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="{:.2}" {} stroke="#ffffff" stroke-width="1.5"/>"##,
                p[0],
                p[1],
                r - 0.75,
                paint(srgb(style.marker))
            );
            if let Some(sym) = style.icon().and_then(crate::mesh::icons::symbol) {
                symbol(s, sym, p, r);
            }
        }
    }
}

/// A marker's symbol, white inside its ring, at the size the shader draws it.
fn symbol(s: &mut String, sym: crate::mesh::icons::Symbol, p: [f64; 2], r: f32) {
    use crate::mesh::icons::Symbol;
    let half = (r - 2.0).max(1.0) * 0.72;
    match sym {
        Symbol::Maki(d) => {
            let k = half / 7.5;
            let _ = writeln!(
                s,
                r##"<path d="{d}" transform="translate({:.1} {:.1}) scale({k:.3}) translate(-7.5 -7.5)" fill="#ffffff"/>"##,
                p[0], p[1]
            );
        }
        Symbol::Glyph(c) => {
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-family="Hack, DejaVu Sans Mono, monospace" font-size="{:.1}" text-anchor="middle" dominant-baseline="central" fill="#ffffff">{c}</text>"##,
                p[0],
                p[1],
                2.2 * half
            );
        }
    }
}

/// Path data of `g`'s rings (closed) and lines, and its points, in figure pixels.
fn collect(
    g: &Geometry<f64>,
    px: &impl Fn(geo::Coord<f64>) -> [f64; 2],
    polygons: &mut String,
    lines: &mut String,
    points: &mut Vec<[f64; 2]>,
) {
    let ring = |out: &mut String, l: &LineString<f64>, close: bool| {
        for (i, c) in l.0.iter().enumerate() {
            let p = px(*c);
            let _ = write!(
                out,
                "{}{:.1} {:.1}",
                if i == 0 { "M" } else { "L" },
                p[0],
                p[1]
            );
        }
        if close && !l.0.is_empty() {
            out.push('Z');
        }
    };
    match g {
        Geometry::Polygon(p) => {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                ring(polygons, r, true);
            }
        }
        Geometry::MultiPolygon(mp) => {
            for p in &mp.0 {
                for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                    ring(polygons, r, true);
                }
            }
        }
        Geometry::LineString(l) => ring(lines, l, false),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(|l| ring(lines, l, false)),
        Geometry::Point(p) => points.push(px(p.0)),
        Geometry::MultiPoint(mp) => points.extend(mp.0.iter().map(|p| px(p.0))),
        Geometry::GeometryCollection(gc) => {
            for g in &gc.0 {
                collect(g, px, polygons, lines, points);
            }
        }
        Geometry::Line(l) => ring(lines, &LineString(vec![l.start, l.end]), false),
        Geometry::Rect(r) => ring(polygons, r.to_polygon().exterior(), true),
        Geometry::Triangle(t) => ring(polygons, t.to_polygon().exterior(), true),
    }
}

/// The labels the PNG paints, with the same halo.
fn write_labels(s: &mut String, map: &Map, figure: &Figure, visible: &[bool], offset: [f64; 2]) {
    let camera = &figure.camera;
    let (labels, along) = figure_labels(map, figure, visible);
    s.push_str("<g id=\"labels\">\n");
    for l in &along {
        let [r, g, b] = l.color;
        let (x, y) = (
            l.center[0] as f64 + offset[0],
            l.center[1] as f64 + offset[1],
        );
        let _ = writeln!(
            s,
            r##"<text x="{x:.1}" y="{:.1}" font-size="{:.2}" text-anchor="middle" transform="rotate({:.2} {x:.1} {y:.1})" fill="{}" stroke="#ffffff" stroke-opacity="0.78" stroke-width="{:.2}" paint-order="stroke">{}</text>"##,
            y + 0.36 * l.size as f64,
            l.size,
            l.angle.to_degrees(),
            hex([r, g, b, 255]),
            2.0 * camera.pixel_ratio,
            escape(&l.text)
        );
    }
    for l in &labels {
        let c = l.center();
        let size = l.kind.font_size() * camera.pixel_ratio;
        let [r, g, b] = l.kind.color();
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="{size:.2}" text-anchor="middle" fill="{}" stroke="#ffffff" stroke-opacity="0.78" stroke-width="{:.2}" paint-order="stroke">{}</text>"##,
            c[0] as f64 + offset[0],
            c[1] as f64 + offset[1] + 0.36 * size as f64,
            hex([r, g, b, 255]),
            2.0 * camera.pixel_ratio,
            escape(&l.text)
        );
    }
    s.push_str("</g>\n");
}
