//! Figures a newsroom can publish: the map with a title, a legend of what it shows, a scale
//! bar with the projection's name, a locator inset when the view is zoomed in beyond the
//! region, and the data credits. `layout` places the parts; `png` draws them through the
//! headless renderer and egui, `svg` writes the same figure as vector paths and text.

pub mod content;
pub mod labels;
pub mod layout;
pub mod png;
pub mod svg;

use geo::Rect;

use crate::figure::content::{content, Content};
use crate::figure::layout::Layout;
use crate::map::camera::Camera;
use crate::map::layer::{LayerKind, MapLayer};
use crate::map::project::{Projection, ProjectionKind};
use crate::map::Map;
use crate::mesh::vertex::FeatureStyle;

/// What every figure credits: the base map's and the places' sources (GeoNames' licence
/// requires the credit wherever its names are shown).
pub const CREDITS: &str = "Made with Natural Earth · Places © GeoNames (CC BY 4.0)";

/// Labels are 11.5 px and up on a bare map; a figure draws its map at this many pixels per
/// unit (1 px at 1600 px wide) so that they are at least 12.
const LABEL_BOOST: f32 = 12.0 / 11.5;

/// An inset appears when the view shows less than this share of the region's width.
const INSET_BELOW: f64 = 0.6;
/// A figure wider than this many times the region gets a locator of the world around it.
const WORLD_INSET_ABOVE: f64 = 2.5;

/// What a wide figure's locator shows, lon/lat: as much of the world as the conic shows well
/// (Europe to Central Asia), or the whole world in the world projections.
fn world_locator(p: &Projection) -> [f64; 4] {
    match p.kind {
        ProjectionKind::Lcc => [-20.0, 5.0, 110.0, 75.0],
        _ => [p.central - 179.9, -60.0, p.central + 179.9, 85.0],
    }
}

/// Share of white mixed into the base map's colours (in sRGB) in a figure: a muted base map,
/// as news maps have, lets the article's overlay stand out and keeps the page readable by OCR.
/// OCR engines binarise a page with one global threshold per channel (tesseract: Otsu; when
/// over three quarters of the pixels fall below it in one channel, the brighter side is taken
/// for ink). The land's sand and orange are low in blue, so a full-colour map filling the page
/// made the white page "ink": tesseract read no word of 6 of 16 news figures. The layout keeps
/// text off the map and at least a quarter of the page white (`layout`); on top of that, at
/// full colour the scale's "km" still went unread on 3 of 16; at 0.6 it reads on all of them.
pub const BASE_WASH: f32 = 0.6;

/// `c` (linear RGB, straight alpha) with `wash` of white mixed in sRGB; alpha kept.
pub fn washed(c: [f32; 4], wash: f32) -> [f32; 4] {
    if wash <= 0.0 {
        return c;
    }
    let to_srgb = |c: f32| {
        let c = c.clamp(0.0, 1.0);
        if c <= 0.003_130_8 {
            12.92 * c
        } else {
            1.055 * c.powf(1.0 / 2.4) - 0.055
        }
    };
    let to_linear = |c: f32| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let f = |c: f32| to_linear(to_srgb(c) * (1.0 - wash) + wash);
    [f(c[0]), f(c[1]), f(c[2]), c[3]]
}

/// A base layer's feature style in a figure: fill, stroke and marker washed.
pub fn washed_style(s: &FeatureStyle, wash: f32) -> FeatureStyle {
    FeatureStyle {
        fill: washed(s.fill, wash),
        stroke: washed(s.stroke, wash),
        marker: washed(s.marker, wash),
        ..*s
    }
}

/// The styles `layer` is drawn with in a figure: its own for overlays, washed for the base map.
pub fn figure_styles(layer: &MapLayer, wash: f32) -> Option<Vec<FeatureStyle>> {
    (layer.kind != LayerKind::Overlay && wash > 0.0)
        .then(|| layer.styles.iter().map(|s| washed_style(s, wash)).collect())
}

/// Which parts a figure has.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureOptions {
    /// Replaces the article's headline.
    pub title: Option<String>,
    pub legend: bool,
    pub inset: bool,
    pub credits: bool,
}

impl Default for FigureOptions {
    fn default() -> Self {
        FigureOptions {
            title: None,
            legend: true,
            inset: true,
            credits: true,
        }
    }
}

/// The locator inset: the region, with the figure's view marked.
#[derive(Debug, Clone)]
pub struct Inset {
    /// Sized to the layout's inset box.
    pub camera: Camera,
    /// The main view in the inset's pixels: min x, min y, max x, max y.
    pub frame: [f32; 4],
}

/// A planned figure: what it says, where each part goes, and how the map is seen.
#[derive(Debug, Clone)]
pub struct Figure {
    pub content: Content,
    pub layout: Layout,
    /// The map's camera, sized to the layout's map box.
    pub camera: Camera,
    pub inset: Option<Inset>,
    /// White mixed into the base map's colours ([`BASE_WASH`]; 0 for a bare map).
    pub base_wash: f32,
}

/// Plans a figure of `size` output pixels showing `bounds` (world km) of `map`; `visible` says
/// which layers are drawn.
pub fn plan(
    map: &Map,
    bounds: Rect<f64>,
    size: [u32; 2],
    visible: &[bool],
    opts: &FigureOptions,
) -> Figure {
    // The title decides how much room the map has; the map's view decides the legend.
    let whole = Camera::fitting(bounds, size, 1.0, 0.0);
    let mut layout = Layout::new(size, &content(map, &whole, visible, opts));
    let ratio = layout.unit * LABEL_BOOST;
    let map_size = [layout.map.w as u32, layout.map.h as u32];
    let camera = Camera::fitting(bounds, map_size, ratio, 0.0);
    let content = content(map, &camera, visible, opts);
    layout.place_legend(&content);
    layout.place_scale_bar(camera.scale, &content.projection);
    let region = map.home_bounds();
    let view = camera.visible_world();
    // Zoomed in beyond the region: the region, the view marked on it; far wider than the
    // region: the world around (unless the view is most of it).
    let locator = if view.width() < INSET_BELOW * region.width() {
        Some(region)
    } else if view.width() > WORLD_INSET_ABOVE * region.width() {
        map.lonlat_box(world_locator(&map.projection))
            .filter(|w| view.width() < 0.5 * w.width())
    } else {
        None
    };
    let inset = locator.filter(|_| opts.inset).map(|locator| {
        layout.place_inset((locator.width() / locator.height()) as f32);
        let area = layout.inset.expect("just placed");
        let mut camera = Camera::fitting(
            locator,
            [area.w as u32, area.h as u32],
            (0.6 * layout.unit).max(0.5),
            0.0,
        );
        // The inset may zoom out as far as it needs.
        camera.min_scale = 0.0;
        let a = camera.world_to_screen([view.min().x, view.max().y]);
        let b = camera.world_to_screen([view.max().x, view.min().y]);
        Inset {
            camera,
            frame: [a[0] as f32, a[1] as f32, b[0] as f32, b[1] as f32],
        }
    });
    Figure {
        content,
        layout,
        camera,
        inset,
        base_wash: BASE_WASH,
    }
}
