//! The map model: a projection and its layers in draw order (seas, land, ..., borders,
//! overlays, places). Shared by the window and `render`; holds no GPU objects.

pub mod anchor;
pub mod basemap;
pub mod camera;
pub mod domain;
pub mod entities;
pub mod hit;
pub mod kind;
pub mod labels;
pub mod layer;
pub mod load;
pub mod lod;
pub mod overlay;
pub mod project;
pub mod style;
pub mod synth;

use geo::{coord, Rect};

use crate::map::layer::{union, LayerKind, MapLayer};
use crate::map::project::Projection;

pub struct Map {
    pub projection: Projection,
    /// In draw order.
    pub layers: Vec<MapLayer>,
}

impl Map {
    pub fn new(projection: Projection, with_base: bool) -> Map {
        let layers = if with_base {
            basemap::base_layers(&projection)
        } else {
            Vec::new()
        };
        Map { projection, layers }
    }

    /// Adds an overlay above every base layer but below the places; returns its index.
    pub fn add_overlay(&mut self, layer: MapLayer) -> usize {
        let at = self
            .layers
            .iter()
            .position(|l| l.kind == LayerKind::Places)
            .unwrap_or(self.layers.len());
        self.layers.insert(at, layer);
        at
    }

    pub fn overlays(&self) -> impl Iterator<Item = &MapLayer> {
        self.layers.iter().filter(|l| l.kind == LayerKind::Overlay)
    }

    /// World bounds of all overlays, if any has something drawable.
    pub fn overlay_bounds(&self) -> Option<Rect<f64>> {
        self.overlays().filter_map(|l| l.bounds).reduce(union)
    }

    /// World bounds of a lon/lat box: its edges are sampled, since they curve in the projection.
    /// A box with `west > east` crosses the antimeridian (RFC 7946 §5.2).
    pub fn lonlat_box(&self, bbox: [f64; 4]) -> Option<Rect<f64>> {
        let [w, s, mut e, n] = bbox;
        if w > e {
            e += 360.0;
        }
        let mut r: Option<Rect<f64>> = None;
        for i in 0..=32 {
            let t = i as f64 / 32.0;
            for (lon, lat) in [
                (w + (e - w) * t, s),
                (w + (e - w) * t, n),
                (w, s + (n - s) * t),
                (e, s + (n - s) * t),
            ] {
                if let Some((x, y)) = self.projection.project(lon, lat) {
                    let p = Rect::new(coord! {x: x, y: y}, coord! {x: x, y: y});
                    r = Some(r.map_or(p, |r| union(r, p)));
                }
            }
        }
        r
    }

    /// The first view: the whole South Caucasus.
    pub fn home_bounds(&self) -> Rect<f64> {
        self.lonlat_box(basemap::SOUTH_CAUCASUS_BBOX)
            .expect("the home box projects")
    }
}
