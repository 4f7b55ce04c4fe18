//! Changing the window's projection: the status bar's choice, `F` on data far larger than the
//! region, or zooming out past the conic's useful extent. Every layer is projected and
//! tessellated again from its source (the embedded base map, the overlay's file, the article's
//! text) on a thread, like a load; the layers, the projection and the camera change together
//! when all are ready, so no frame mixes two projections.

use std::path::PathBuf;
use std::time::Instant;

use geo::Rect;

use super::files::{self, LoadedLayer};
use super::threads::Post;
use super::App;
use crate::article::Article;
use crate::gpu::Uploader;
use crate::map::camera::Camera;
use crate::map::domain::lonlat_extent;
use crate::map::overlay::{article_layer, load_overlay};
use crate::map::project::{Projection, ProjectionKind};
use crate::map::Map;

/// What the view shows once the new projection is in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Then {
    /// The same place at the same ground scale.
    KeepView,
    /// The loaded files whole (`F`).
    FitOverlays,
}

/// What an overlay is made again from.
enum Source {
    File(PathBuf),
    Article(Article),
}

/// An overlay made again: its uid, and the layer or why it could not be made.
pub type Remade = (u64, Result<LoadedLayer, String>);

/// Every layer in the new projection: the base map's in draw order, then the overlays by uid.
pub struct Reprojected {
    pub projection: Projection,
    pub then: Then,
    /// The base map's layers and the overlays (by uid), or why nothing could be made.
    pub layers: Result<(Vec<LoadedLayer>, Vec<Remade>), String>,
    pub took: std::time::Duration,
}

/// A switch in progress.
pub struct Pending {
    pub to: Projection,
    /// Overlays with nothing to make them again from (the archive's counts layer): taken away
    /// when the others arrive.
    orphans: Vec<u64>,
}

/// The lon/lat box the conic is used for; zooming out past it switches to the world.
const CONIC_USEFUL: [f64; 4] = [-10.0, 10.0, 100.0, 75.0];

/// The largest extent a projection's view may show, lon/lat: the world where it is whole
/// (Web Mercator to ±85°), the conic's useful box for the conic.
pub fn view_limit(p: &Projection) -> [f64; 4] {
    let d = p.domain();
    match p.kind {
        ProjectionKind::Lcc => CONIC_USEFUL,
        _ => [
            d.central - 179.999,
            d.south.max(-89.9),
            d.central + 179.999,
            d.north.min(89.9),
        ],
    }
}

/// The projected bounds of a lon/lat box (edges sampled: they curve).
pub fn projected_box(p: &Projection, bbox: [f64; 4]) -> Option<Rect<f64>> {
    Map {
        projection: *p,
        layers: Vec::new(),
    }
    .lonlat_box(bbox)
}

impl App {
    /// Starts re-projecting every layer into `to`; the view changes when all are ready.
    pub(super) fn switch_projection(&mut self, to: Projection, then: Then) {
        let same = to.kind == self.projection.kind && to.central == self.projection.central;
        if same {
            if then == Then::FitOverlays {
                self.fit_overlays_now();
            }
            return;
        }
        if self
            .view
            .switching
            .as_ref()
            .is_some_and(|p| p.to.kind == to.kind && p.to.central == to.central)
        {
            return;
        }
        let mut orphans = Vec::new();
        let sources: Vec<(u64, Source)> = self
            .layers
            .overlays()
            .filter_map(|l| {
                let src = match (&l.data.article, &l.data.source) {
                    (Some(a), _) => Source::Article(a.article.clone()),
                    (None, Some(p)) => Source::File(p.clone()),
                    (None, None) => {
                        orphans.push(l.uid);
                        return None;
                    }
                };
                Some((l.uid, src))
            })
            .collect();
        let uploader = self
            .win
            .as_ref()
            .map(|w| w.gfx.renderer.uploader(&w.gfx.gpu.device));
        // Heavy layers are made at the level the carried view needs (others follow on demand).
        let camera = carry_camera(&self.view.camera, &self.projection, &to);
        self.view.switching = Some(Pending { to, orphans });
        spawn(
            self.post.reprojected(),
            to,
            then,
            sources,
            (self.args.max_size, camera),
            uploader,
        );
        self.request_redraw();
    }

    /// `F`: the loaded files whole, in a projection that suits their extent (Equal Earth for
    /// the world, the conic for the region).
    pub(super) fn fit_overlays(&mut self) {
        // A heavy file's features keep no lon/lat: its extent stands in, as boxes (two where
        // it crosses the antimeridian, which they stop just short of).
        let boxes: Vec<geo::Geometry<f64>> = self
            .layers
            .overlays()
            .filter_map(|l| l.data.moved_extent())
            .flat_map(|[w, s, e, n]| {
                let edge = 179.999_999;
                let spans = if w <= e {
                    vec![(w.max(-edge), e.min(edge))]
                } else {
                    vec![(w, edge), (-edge, e)]
                };
                spans
                    .into_iter()
                    .map(move |(a, b)| geo::Geometry::Rect(Rect::new((a, s), (b, n))))
            })
            .collect();
        let extent = lonlat_extent(
            self.layers
                .overlays()
                .flat_map(|l| l.data.features.iter())
                .filter_map(|f| f.geometry.as_ref())
                .chain(&boxes),
        );
        if extent.is_none() {
            let to = self.home_camera();
            return self.fly_to(to);
        }
        let to = Projection::for_extent(None, extent);
        self.switch_projection(to, Then::FitOverlays);
    }

    fn fit_overlays_now(&mut self) {
        let to = match self.layers.overlay_bounds() {
            Some(b) => self.fit_camera(b),
            None => self.home_camera(),
        };
        self.fly_to(to);
    }

    /// The smallest scale the view may have: the projection's view limit fits the free area.
    pub(super) fn min_scale(&self) -> f64 {
        let Some(b) = projected_box(&self.projection, view_limit(&self.projection)) else {
            return Camera::MIN_LOGICAL_SCALE * self.view.pixel_ratio();
        };
        let [x0, y0, x1, y1] = self
            .view
            .known_free_rect()
            .unwrap_or_else(|| self.free_rect(self.view.camera.size));
        ((x1 - x0).max(1.0) / b.width().max(1e-6)).min((y1 - y0).max(1.0) / b.height().max(1e-6))
    }

    /// A zoom by `factor` was asked for. In the conic, zooming out at its limit goes over to
    /// the world projection; in a world view the zoom took there, zooming back into the
    /// conic's box returns to the conic.
    pub(super) fn zoom_may_switch(&mut self, factor: f64) {
        let target = self.view.nav.target(&self.view.camera);
        if factor < 1.0 && self.projection.kind == ProjectionKind::Lcc {
            if target.scale <= self.view.camera.min_scale * 1.001 {
                self.view.auto_world = true;
                let to = Projection::new(ProjectionKind::EqualEarth);
                self.switch_projection(to, Then::KeepView);
            }
        } else if factor > 1.0 && self.view.auto_world {
            let Some(conic) = projected_box(&self.projection, CONIC_USEFUL) else {
                return;
            };
            let seen = target.visible_world();
            let inside = self
                .projection
                .unproject(target.center[0], target.center[1])
                .is_some_and(|(lon, lat)| {
                    (CONIC_USEFUL[0]..CONIC_USEFUL[2]).contains(&lon)
                        && (CONIC_USEFUL[1]..CONIC_USEFUL[3]).contains(&lat)
                });
            if inside && seen.width() < 0.5 * conic.width() {
                self.view.auto_world = false;
                self.switch_projection(Projection::new(ProjectionKind::Lcc), Then::KeepView);
            }
        }
    }

    pub(super) fn on_reprojected(&mut self, r: Reprojected) {
        let wanted = self.view.switching.as_ref().is_some_and(|p| {
            p.to.kind == r.projection.kind && p.to.central == r.projection.central
        });
        if !wanted {
            return;
        }
        let orphans = self
            .view
            .switching
            .take()
            .map(|p| p.orphans)
            .unwrap_or_default();
        let (new_base, overlays) = match r.layers {
            Ok(l) => l,
            Err(e) => return self.toast(format!("Cannot change the projection: {e}"), true),
        };
        let old = self.projection;
        // Where the view was heading (a zoom may still be animating).
        let heading = self.view.nav.target(&self.view.camera);
        let camera = carry_camera(&heading, &old, &r.projection);
        // The base map: the old one out, the new one in, keeping each layer's visibility.
        let mut shown: Vec<(String, bool, f32)> = Vec::new();
        let mut i = 0;
        while i < self.layers.len() {
            if self.layers.as_slice()[i].data.kind.is_base() {
                let l = self.layers.remove(i);
                shown.push((l.data.name.clone(), l.gpu.visible, l.gpu.state.opacity));
            } else {
                i += 1;
            }
        }
        let mut base = Vec::new();
        for loaded in new_base {
            match self.make_layer(loaded) {
                Ok(mut l) => {
                    if let Some(s) = shown.iter().find(|s| s.0 == l.data.name) {
                        l.gpu.visible = s.1;
                        l.gpu.set_opacity(s.2);
                    }
                    base.push(l);
                }
                Err(e) => log::error!("{e}"),
            }
        }
        self.layers.put_base(base);
        for uid in orphans {
            if let Some(i) = self.layers.index_of(uid) {
                self.layers.remove(i);
            }
        }
        let mut failed = Vec::new();
        for (uid, result) in overlays {
            let Some(i) = self.layers.index_of(uid) else {
                continue;
            };
            let made = result.and_then(|l| self.make_layer(l));
            match made {
                Ok(new) => self.replace_layer(i, new),
                Err(e) => {
                    // Not drawable in the new projection's coordinates: removed, said so.
                    failed.push(e);
                    self.layers.remove(i);
                }
            }
        }
        self.projection = r.projection;
        self.ui.hover = None;
        self.ui.selected = None;
        self.view.nav.stop();
        self.view.last_camera = None;
        self.view.camera = camera;
        self.view.camera.min_scale = self.min_scale();
        self.view.camera.scale = self.view.camera.scale.max(self.view.camera.min_scale);
        if r.then == Then::FitOverlays {
            self.fit_overlays_now();
        }
        // An open archive is opened again: its counts layer is made in the new projection.
        self.archive_reprojected();
        self.refresh_highlight();
        self.toast(
            format!(
                "Projection: {} ({:.1} s)",
                r.projection.kind,
                r.took.as_secs_f64()
            ),
            false,
        );
        for e in failed {
            self.toast(
                format!("Removed a layer that could not be re-projected: {e}"),
                true,
            );
        }
    }
}

/// The camera showing the same place at the same ground scale in another projection: the
/// view's centre and two points 100 px apart around it, carried over.
fn carry_camera(c: &Camera, from: &Projection, to: &Projection) -> Camera {
    let mut out = *c;
    let half = 50.0 / c.scale;
    // Centre and the two points, on the ground and then in the new projection.
    let carried = [
        c.center,
        [c.center[0] - half, c.center[1]],
        [c.center[0] + half, c.center[1]],
    ]
    .map(|p| {
        from.unproject(p[0], p[1])
            .and_then(|(lon, lat)| to.project(lon, lat))
    });
    let [Some(nc), Some(na), Some(nb)] = carried else {
        // The view was off the new projection's map: the region.
        let home = projected_box(to, crate::map::basemap::SOUTH_CAUCASUS_BBOX);
        if let Some(home) = home {
            out.center = [home.center().x, home.center().y];
        }
        return out;
    };
    out.center = [nc.0, nc.1];
    let d = ((nb.0 - na.0).powi(2) + (nb.1 - na.1).powi(2)).sqrt();
    if d > 1e-9 {
        out.scale = 100.0 / d;
    }
    out
}

fn spawn(
    done: impl Post<Reprojected>,
    projection: Projection,
    then: Then,
    sources: Vec<(u64, Source)>,
    (max_size_mb, camera): (u64, Camera),
    uploader: Option<Uploader>,
) {
    let spawned = std::thread::Builder::new()
        .name("reproject".into())
        .spawn(move || {
            let started = Instant::now();
            let up = uploader.as_ref();
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let base: Vec<LoadedLayer> = Map::new(projection, true)
                    .layers
                    .into_iter()
                    .filter_map(|l| {
                        files::make_ready(l, up, Some(&camera), None)
                            .map_err(|e| log::error!("{e}"))
                            .ok()
                    })
                    .collect();
                let overlays: Vec<Remade> = sources
                    .into_iter()
                    .map(|(uid, src)| {
                        let layer = match src {
                            Source::File(p) => load_overlay(&p, &projection, max_size_mb)
                                .map_err(|e| files::error_text(&e.into())),
                            Source::Article(a) => Ok(article_layer(a, &projection)),
                        };
                        (
                            uid,
                            layer.and_then(|l| files::make_ready(l, up, Some(&camera), None)),
                        )
                    })
                    .collect();
                (base, overlays)
            }));
            let layers = made.map_err(|_| "re-projecting crashed".to_string());
            done(Reprojected {
                projection,
                then,
                layers,
                took: started.elapsed(),
            });
        });
    if let Err(e) = spawned {
        log::error!("cannot start a thread: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_projections_limit_is_far_wider_than_the_region() {
        for kind in [
            ProjectionKind::Lcc,
            ProjectionKind::Mercator,
            ProjectionKind::EqualEarth,
        ] {
            let p = Projection::new(kind);
            let limit = projected_box(&p, view_limit(&p)).expect("the limit projects");
            let home = projected_box(&p, crate::map::basemap::SOUTH_CAUCASUS_BBOX).unwrap();
            assert!(
                limit.width() > 5.0 * home.width() && limit.height() > 5.0 * home.height(),
                "{kind}: limit {limit:?} home {home:?}"
            );
        }
    }
}
