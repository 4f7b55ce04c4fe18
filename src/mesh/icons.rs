//! Marker symbols (simplestyle's `marker-symbol`): the Maki icons (their SVG paths, in
//! `data/maki.json`, from the npm package `@mapbox/maki`, CC0) and single letters or digits
//! (glyph outlines of the Hack font that egui already ships). lyon tessellates each symbol once,
//! when a feature first asks for it, into triangles in a unit square around the marker's
//! centre; the vertex shader scales them to the marker's size in pixels, so a symbol keeps its
//! size at every zoom like the marker under it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use lyon::extra::parser::{ParserOptions, PathParser, Source};
use lyon::math::point;
use lyon::path::Path;
use lyon::tessellation::{
    BuffersBuilder, FillOptions, FillRule, FillTessellator, FillVertex, VertexBuffers,
};

const MAKI_JSON: &str = include_str!("../../data/maki.json");
/// Maki's view box is 15 units square.
const MAKI_SIZE: f32 = 15.0;
/// Letters and digits that draw as text.
const GLYPHS: &str = "0123456789abcdefghijklmnopqrstuvwxyz";

/// A symbol's triangles: points in the unit square (y up, centre at 0), three indices each.
#[derive(Debug, Default)]
pub struct IconMesh {
    pub points: Vec<[f32; 2]>,
    pub indices: Vec<u32>,
}

/// The Maki icons' names (sorted) and path data.
fn maki() -> &'static [(String, String)] {
    static ICONS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    ICONS.get_or_init(|| {
        #[derive(serde::Deserialize)]
        struct File {
            icons: std::collections::BTreeMap<String, String>,
        }
        serde_json::from_str::<File>(MAKI_JSON)
            .map(|f| f.icons.into_iter().collect())
            .unwrap_or_default()
    })
}

/// The id of a `marker-symbol` value: a Maki icon name, or one letter or digit (either case);
/// `None` for anything else.
pub fn id_of(symbol: &str) -> Option<u16> {
    let s = symbol.trim().to_ascii_lowercase();
    let icons = maki();
    if let Ok(i) = icons.binary_search_by(|(name, _)| name.as_str().cmp(&s)) {
        return Some(i as u16);
    }
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => GLYPHS.find(c).map(|g| (icons.len() + g) as u16),
        _ => None,
    }
}

/// What a symbol is, for outputs that draw it themselves (an SVG figure).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Symbol {
    /// A Maki icon's SVG path data, on its 15×15 view box (y down).
    Maki(&'static str),
    /// A letter (upper case) or digit.
    Glyph(char),
}

/// The symbol of an id, if it is one.
pub fn symbol(id: u16) -> Option<Symbol> {
    let icons = maki();
    match icons.get(id as usize) {
        Some((_, d)) => Some(Symbol::Maki(d.as_str())),
        None => GLYPHS
            .chars()
            .nth((id as usize).checked_sub(icons.len())?)
            .map(|c| Symbol::Glyph(c.to_ascii_uppercase())),
    }
}

/// The symbol's triangles (empty when the id is unknown or its outline is unusable).
pub fn mesh(id: u16) -> &'static IconMesh {
    static CACHE: OnceLock<Mutex<HashMap<u16, &'static IconMesh>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    // At most one mesh per symbol (251 in all) is ever made: leaking them is bounded.
    cache
        .entry(id)
        .or_insert_with(|| Box::leak(Box::new(make(id).unwrap_or_default())))
}

fn make(id: u16) -> Option<IconMesh> {
    let icons = maki();
    let path = match icons.get(id as usize) {
        Some((_, d)) => maki_path(d)?,
        None => glyph_path(GLYPHS.chars().nth(id as usize - icons.len())?)?,
    };
    let mut buf: VertexBuffers<[f32; 2], u32> = VertexBuffers::new();
    FillTessellator::new()
        .tessellate_path(
            &path,
            &FillOptions::tolerance(0.01).with_fill_rule(FillRule::NonZero),
            &mut BuffersBuilder::new(&mut buf, |v: FillVertex| v.position().to_array()),
        )
        .ok()?;
    Some(IconMesh {
        points: buf.vertices,
        indices: buf.indices,
    })
}

/// A Maki icon's path moved into the unit square, y up.
fn maki_path(d: &str) -> Option<Path> {
    let mut builder = Path::builder();
    PathParser::new()
        .parse(
            &ParserOptions::DEFAULT,
            &mut Source::new(d.chars()),
            &mut builder,
        )
        .ok()?;
    let half = MAKI_SIZE / 2.0;
    let to_unit =
        lyon::math::Transform::translation(-half, -half).then_scale(1.0 / half, -1.0 / half);
    Some(builder.build().transformed(&to_unit))
}

/// A letter's or digit's outline (upper case for letters), centred and scaled to fill 80 % of
/// the unit square's height, y up.
fn glyph_path(c: char) -> Option<Path> {
    use ab_glyph::{Font, FontRef, OutlineCurve};
    let font = FontRef::try_from_slice(epaint_default_fonts::HACK_REGULAR).ok()?;
    let outline = font.outline(font.glyph_id(c.to_ascii_uppercase()))?;
    // Font units, y up (the bounds' corners come in either order).
    let b = outline.bounds;
    let (w, h) = ((b.max.x - b.min.x).abs(), (b.max.y - b.min.y).abs());
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    let k = 1.6 / w.max(h);
    let (cx, cy) = ((b.min.x + b.max.x) / 2.0, (b.min.y + b.max.y) / 2.0);
    let p = |q: ab_glyph::Point| point((q.x - cx) * k, (q.y - cy) * k);
    let mut builder = Path::builder();
    let mut end: Option<ab_glyph::Point> = None;
    for curve in &outline.curves {
        let (start, last) = match *curve {
            OutlineCurve::Line(a, b) => (a, b),
            OutlineCurve::Quad(a, _, c) => (a, c),
            OutlineCurve::Cubic(a, _, _, d) => (a, d),
        };
        if end != Some(start) {
            if end.is_some() {
                builder.end(true);
            }
            builder.begin(p(start));
        }
        match *curve {
            OutlineCurve::Line(_, b) => {
                builder.line_to(p(b));
            }
            OutlineCurve::Quad(_, b, c) => {
                builder.quadratic_bezier_to(p(b), p(c));
            }
            OutlineCurve::Cubic(_, b, c, d) => {
                builder.cubic_bezier_to(p(b), p(c), p(d));
            }
        }
        end = Some(last);
    }
    if end.is_some() {
        builder.end(true);
    }
    Some(builder.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(m: &IconMesh) -> f32 {
        m.indices
            .chunks(3)
            .map(|t| {
                let [a, b, c] = [0, 1, 2].map(|i| m.points[t[i] as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum()
    }

    #[test]
    fn maki_icons_letters_and_digits_are_filled_shapes_in_the_unit_square() {
        for symbol in ["star", "rail", "airport", "Embassy", "a", "Z", "7"] {
            let id = id_of(symbol).unwrap_or_else(|| panic!("{symbol} has no id"));
            let m = mesh(id);
            assert!(!m.indices.is_empty(), "{symbol}: no triangles");
            assert!(
                m.points
                    .iter()
                    .all(|p| p[0].abs() <= 1.001 && p[1].abs() <= 1.001),
                "{symbol}: outside the unit square"
            );
            // Some ink, not the whole square: a shape, not a box.
            let a = area(m);
            assert!(a > 0.3 && a < 3.5, "{symbol}: area {a}");
        }
        // The star's top point is up (y up), its tips reach the square's edges.
        let star = mesh(id_of("star").unwrap());
        let top = star.points.iter().map(|p| p[1]).fold(f32::MIN, f32::max);
        assert!((top - 1.0).abs() < 1e-3, "{top}");
        assert_eq!(maki().len(), 215);
    }

    #[test]
    fn unknown_symbols_have_no_id() {
        for s in ["", "no-such-icon", "ab", "é", "🚀"] {
            assert_eq!(id_of(s), None, "{s}");
        }
        assert_ne!(id_of("a"), id_of("b"));
        assert_eq!(id_of("A"), id_of("a"));
    }
}
