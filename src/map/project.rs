//! lon/lat ↔ plane. World units are kilometres from an origin in the middle of the South
//! Caucasus, which keeps f32 precise to centimetres over the whole region. No pixels here.

use geo::{Coord, Geometry, MapCoords};

pub use crate::map::domain::Domain;
use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

const WGS84_A: f64 = 6_378_137.0;
const WGS84_E: f64 = 0.081_819_190_842_622;
const WEB_MERCATOR_MAX_LAT: f64 = 85.051_128_78;
/// The conic's southern limit: beyond it the cone's scale grows without bound (the South Pole
/// is at infinity), and a world file's Antarctica would cover the view.
const LCC_SOUTH_LIMIT: f64 = -30.0;
// Equal Earth's polynomial (Šavrič, Patterson, Jenny 2018) and √3/2.
const EE_A1: f64 = 1.340264;
const EE_A2: f64 = -0.081106;
const EE_A3: f64 = 0.000893;
const EE_A4: f64 = 0.003796;
const EE_M: f64 = 0.866_025_403_784_438_6;

/// Snyder's q (eq. 3-12) for sin φ on WGS84: the authalic latitude's sine is q / q(90°).
fn authalic_q(sin_phi: f64) -> f64 {
    let e = WGS84_E;
    let es = e * e;
    let con = e * sin_phi;
    (1.0 - es) * (sin_phi / (1.0 - con * con) - (0.5 / e) * ((1.0 - con) / (1.0 + con)).ln())
}

/// The latitude (radians) whose q is `q` (Snyder eq. 3-16, iterated).
fn latitude_of_authalic_q(q: f64) -> f64 {
    let e = WGS84_E;
    let es = e * e;
    let mut phi = (q / 2.0).clamp(-1.0, 1.0).asin();
    for _ in 0..20 {
        let (s, c) = phi.sin_cos();
        if c.abs() < 1e-12 {
            return phi;
        }
        let con = e * s;
        let com = 1.0 - con * con;
        let step = com * com / (2.0 * c)
            * (q / (1.0 - es) - s / com + (0.5 / e) * ((1.0 - con) / (1.0 + con)).ln());
        phi += step;
        if step.abs() < 1e-14 {
            break;
        }
    }
    phi
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ProjectionKind {
    /// Lambert conformal conic fitted to the South Caucasus (true shapes and areas to ~1 %).
    #[default]
    Lcc,
    /// Web Mercator, as on web maps (to ±85.05°).
    Mercator,
    /// Equal Earth, an equal-area projection of the whole world (Šavrič, Patterson, Jenny 2018).
    #[value(alias = "world")]
    EqualEarth,
}

impl std::fmt::Display for ProjectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ProjectionKind::Lcc => "Lambert conformal conic (38.5°N, 42.5°N; 44.5°E)",
            ProjectionKind::Mercator => "Web Mercator",
            ProjectionKind::EqualEarth => "Equal Earth",
        })
    }
}

/// A map projection with its origin; `project` and `unproject` are inverse.
#[derive(Debug, Clone, Copy)]
pub struct Projection {
    pub kind: ProjectionKind,
    /// The map shows longitudes within 180° of this meridian; geometry is cut opposite it.
    pub central: f64,
    lon0: f64,
    // LCC constants (Snyder, Map Projections: A Working Manual, eq. 15-1 to 15-11).
    n: f64,
    af: f64,
    rho0: f64,
    // Mercator origin in metres.
    y0: f64,
    // Equal Earth: the authalic sphere's q at the pole, and the origin in metres.
    qp: f64,
    origin: (f64, f64),
}

impl Default for Projection {
    fn default() -> Self {
        Projection::new(ProjectionKind::Lcc)
    }
}

fn lcc_m(phi: f64) -> f64 {
    phi.cos() / (1.0 - (WGS84_E * phi.sin()).powi(2)).sqrt()
}

fn lcc_t(phi: f64) -> f64 {
    let es = WGS84_E * phi.sin();
    (FRAC_PI_4 - phi / 2.0).tan() / ((1.0 - es) / (1.0 + es)).powf(WGS84_E / 2.0)
}

impl Projection {
    /// Centre of the South Caucasus view, and the projection's origin.
    pub const CENTER: (f64, f64) = (44.5, 40.5);

    pub fn new(kind: ProjectionKind) -> Projection {
        Self::centred_on(kind, 0.0)
    }

    /// A projection whose map is centred on meridian `central` (the seam opposite it), for
    /// data that crosses the antimeridian. The origin stays the South Caucasus where the map
    /// shows it.
    pub fn centred_on(kind: ProjectionKind, central: f64) -> Projection {
        let central = (central + 180.0).rem_euclid(360.0) - 180.0;
        let (lon0, lat0) = Self::CENTER;
        let (p1, p2, p0) = (
            38.5f64.to_radians(),
            42.5f64.to_radians(),
            lat0.to_radians(),
        );
        let (m1, m2) = (lcc_m(p1), lcc_m(p2));
        let (t1, t2, t0) = (lcc_t(p1), lcc_t(p2), lcc_t(p0));
        let n = (m1.ln() - m2.ln()) / (t1.ln() - t2.ln());
        let af = WGS84_A * m1 / (n * t1.powf(n));
        let rho0 = af * t0.powf(n);
        let y0 = WGS84_A * (FRAC_PI_4 + p0 / 2.0).tan().ln();
        let mut p = Projection {
            kind,
            central,
            lon0,
            n,
            af,
            rho0,
            y0,
            qp: authalic_q(1.0),
            origin: (0.0, 0.0),
        };
        if kind == ProjectionKind::EqualEarth {
            p.origin = p.equal_earth(p.domain().wrap(lon0), lat0);
        }
        p
    }

    /// The projection for a view of `extent` (lon/lat `[west, south, east, north]`, west > east
    /// across the antimeridian), of the `requested` kind if any: the conic for the region and
    /// what is near it, Equal Earth for a continent or the world, Web Mercator for a small area
    /// far away. Data across the antimeridian gets a map centred on it.
    pub fn for_extent(requested: Option<ProjectionKind>, extent: Option<[f64; 4]>) -> Projection {
        let Some([west, south, east, north]) = extent else {
            return Projection::new(requested.unwrap_or_default());
        };
        let span = if west <= east {
            east - west
        } else {
            east + 360.0 - west
        };
        let middle = west + span / 2.0;
        let crosses = west > east;
        let near_region = (middle - Self::CENTER.0).abs() < 40.0 && south > 10.0;
        let kind = requested.unwrap_or(if span > 60.0 || north - south > 40.0 {
            ProjectionKind::EqualEarth
        } else if near_region && !crosses {
            ProjectionKind::Lcc
        } else {
            ProjectionKind::Mercator
        });
        let central = if crosses { middle } else { 0.0 };
        Projection::centred_on(kind, central)
    }

    /// Where this projection is defined: the conic not far into the southern hemisphere, Web
    /// Mercator to ±85.05°, Equal Earth everywhere.
    pub fn domain(&self) -> Domain {
        let (south, north) = match self.kind {
            ProjectionKind::Lcc => (LCC_SOUTH_LIMIT, 90.0),
            ProjectionKind::Mercator => (-WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT),
            ProjectionKind::EqualEarth => (-90.0, 90.0),
        };
        Domain {
            central: self.central,
            south,
            north,
        }
    }

    /// Equal Earth in metres, before the origin is moved (PROJ's `eqearth` on WGS84).
    fn equal_earth(&self, lon: f64, lat: f64) -> (f64, f64) {
        let lam = (lon - self.central).to_radians();
        let sin_beta = (authalic_q(lat.to_radians().sin()) / self.qp).clamp(-1.0, 1.0);
        let psi = (EE_M * sin_beta).asin();
        let (p2, p6) = (psi * psi, psi.powi(6));
        let rq = WGS84_A * (0.5 * self.qp).sqrt();
        let x = lam * psi.cos()
            / (EE_M * (EE_A1 + 3.0 * EE_A2 * p2 + p6 * (7.0 * EE_A3 + 9.0 * EE_A4 * p2)));
        let y = psi * (EE_A1 + EE_A2 * p2 + p6 * (EE_A3 + EE_A4 * p2));
        (x * rq, y * rq)
    }

    /// The inverse of [`Projection::equal_earth`].
    fn equal_earth_inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let rq = WGS84_A * (0.5 * self.qp).sqrt();
        let (x, y) = (x / rq, y / rq);
        let mut psi = y;
        for _ in 0..20 {
            let (p2, p6) = (psi * psi, psi.powi(6));
            let f = psi * (EE_A1 + EE_A2 * p2 + p6 * (EE_A3 + EE_A4 * p2)) - y;
            let df = EE_A1 + 3.0 * EE_A2 * p2 + p6 * (7.0 * EE_A3 + 9.0 * EE_A4 * p2);
            let step = f / df;
            psi -= step;
            if step.abs() < 1e-14 {
                break;
            }
        }
        let (p2, p6) = (psi * psi, psi.powi(6));
        let lam = EE_M * x * (EE_A1 + 3.0 * EE_A2 * p2 + p6 * (7.0 * EE_A3 + 9.0 * EE_A4 * p2))
            / psi.cos();
        if lam.abs() > std::f64::consts::PI + 1e-9 || psi.abs() > FRAC_PI_2 {
            return None;
        }
        let sin_beta = (psi.sin() / EE_M).clamp(-1.0, 1.0);
        let lat = latitude_of_authalic_q(sin_beta * self.qp);
        Some((lam.to_degrees() + self.central, lat.to_degrees()))
    }

    /// lon/lat in degrees → world kilometres; `None` where the projection is undefined.
    pub fn project(&self, lon: f64, lat: f64) -> Option<(f64, f64)> {
        if !(lon.is_finite() && lat.is_finite()) {
            return None;
        }
        let lon = self.domain().wrap(lon);
        let (x, y) = match self.kind {
            ProjectionKind::Lcc => {
                let rho = self.af * lcc_t(lat.to_radians()).powf(self.n);
                let theta = self.n * (lon - self.lon0).to_radians();
                (rho * theta.sin(), self.rho0 - rho * theta.cos())
            }
            ProjectionKind::Mercator => {
                let lat = lat
                    .clamp(-WEB_MERCATOR_MAX_LAT, WEB_MERCATOR_MAX_LAT)
                    .to_radians();
                (
                    WGS84_A * (lon - self.lon0).to_radians(),
                    WGS84_A * (FRAC_PI_4 + lat / 2.0).tan().ln() - self.y0,
                )
            }
            ProjectionKind::EqualEarth => {
                let (x, y) = self.equal_earth(lon, lat.clamp(-90.0, 90.0));
                (x - self.origin.0, y - self.origin.1)
            }
        };
        (x.is_finite() && y.is_finite()).then_some((x / 1000.0, y / 1000.0))
    }

    /// World kilometres → lon/lat in degrees.
    pub fn unproject(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let (x, y) = (x * 1000.0, y * 1000.0);
        let (lon, lat) = match self.kind {
            ProjectionKind::Lcc => {
                let dy = self.rho0 - y;
                let rho = self.n.signum() * x.hypot(dy);
                let t = (rho / self.af).powf(1.0 / self.n);
                let theta = (x * self.n.signum()).atan2(dy * self.n.signum());
                let mut phi = FRAC_PI_2 - 2.0 * t.atan();
                for _ in 0..15 {
                    let es = WGS84_E * phi.sin();
                    let next = FRAC_PI_2
                        - 2.0 * (t * ((1.0 - es) / (1.0 + es)).powf(WGS84_E / 2.0)).atan();
                    let done = (next - phi).abs() < 1e-12;
                    phi = next;
                    if done {
                        break;
                    }
                }
                ((theta / self.n).to_degrees() + self.lon0, phi.to_degrees())
            }
            ProjectionKind::Mercator => {
                let lat = 2.0 * ((y + self.y0) / WGS84_A).exp().atan() - FRAC_PI_2;
                ((x / WGS84_A).to_degrees() + self.lon0, lat.to_degrees())
            }
            ProjectionKind::EqualEarth => {
                self.equal_earth_inverse(x + self.origin.0, y + self.origin.1)?
            }
        };
        (lon.is_finite() && lat.is_finite()).then_some((lon, lat))
    }

    /// Projects every coordinate in place; false (and `g` partly projected) if one cannot be.
    pub fn project_in_place(&self, g: &mut Geometry<f64>) -> bool {
        use geo::MapCoordsInPlace;
        let f = |c: Coord<f64>| {
            self.project(c.x, c.y)
                .map(|(x, y)| Coord { x, y })
                .ok_or(())
        };
        // By hand over the variants: geo's own recursion into collections does not compile with
        // a borrowed closure.
        match g {
            Geometry::GeometryCollection(gc) => gc.0.iter_mut().all(|g| self.project_in_place(g)),
            Geometry::Point(p) => p.try_map_coords_in_place(f).is_ok(),
            Geometry::Line(l) => l.try_map_coords_in_place(f).is_ok(),
            Geometry::LineString(l) => l.try_map_coords_in_place(f).is_ok(),
            Geometry::Polygon(p) => p.try_map_coords_in_place(f).is_ok(),
            Geometry::MultiPoint(p) => p.try_map_coords_in_place(f).is_ok(),
            Geometry::MultiLineString(l) => l.try_map_coords_in_place(f).is_ok(),
            Geometry::MultiPolygon(p) => p.try_map_coords_in_place(f).is_ok(),
            // Not axis-aligned once projected.
            Geometry::Rect(r) => {
                *g = Geometry::Polygon(r.to_polygon());
                self.project_in_place(g)
            }
            Geometry::Triangle(t) => {
                *g = Geometry::Polygon(t.to_polygon());
                self.project_in_place(g)
            }
        }
    }

    /// Projects every coordinate; `None` if any one cannot be projected.
    pub fn project_geometry(&self, g: &Geometry<f64>) -> Option<Geometry<f64>> {
        g.try_map_coords(|c: Coord<f64>| {
            self.project(c.x, c.y)
                .map(|(x, y)| Coord { x, y })
                .ok_or(())
        })
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projecting_in_place_gives_the_projected_copy() {
        use geo::{line_string, point, polygon, GeometryCollection};
        let p = Projection::new(ProjectionKind::Lcc);
        let shapes: Vec<Geometry<f64>> = vec![
            point!(x: 44.5, y: 40.2).into(),
            line_string![(x: 43.0, y: 41.0), (x: 45.0, y: 42.5)].into(),
            polygon![(x: 44.0, y: 40.0), (x: 45.0, y: 40.0), (x: 44.5, y: 41.0)].into(),
        ];
        let collection = Geometry::GeometryCollection(GeometryCollection(shapes.clone()));
        for g in shapes.into_iter().chain([collection]) {
            let mut moved = g.clone();
            assert!(p.project_in_place(&mut moved));
            assert_eq!(Some(moved), p.project_geometry(&g));
        }
        let mut bad: Geometry<f64> =
            line_string![(x: 44.0, y: 40.0), (x: f64::NAN, y: 41.0)].into();
        assert_eq!(p.project_geometry(&bad), None);
        assert!(!p.project_in_place(&mut bad));
    }

    #[test]
    fn round_trips() {
        for kind in [
            ProjectionKind::Lcc,
            ProjectionKind::Mercator,
            ProjectionKind::EqualEarth,
        ] {
            let p = Projection::new(kind);
            for (lon, lat) in [(44.5, 40.5), (36.0, 36.0), (52.0, 46.0), (44.51, 40.18)] {
                let (x, y) = p.project(lon, lat).unwrap();
                let (lo, la) = p.unproject(x, y).unwrap();
                assert!(
                    (lo - lon).abs() < 1e-9 && (la - lat).abs() < 1e-9,
                    "{kind:?} {lon},{lat} -> {lo},{la}"
                );
            }
            assert_eq!(
                p.project(44.5, 40.5)
                    .map(|(x, y)| (x.abs() < 1e-9, y.abs() < 1e-9)),
                Some((true, true))
            );
        }
    }

    #[test]
    fn lcc_distances_are_true_on_standard_parallels() {
        // One degree of longitude along 38.5°N on WGS84 is 87.3 km.
        let p = Projection::new(ProjectionKind::Lcc);
        let (x0, y0) = p.project(44.0, 38.5).unwrap();
        let (x1, y1) = p.project(45.0, 38.5).unwrap();
        let d = (x1 - x0).hypot(y1 - y0);
        assert!((d - 87.25).abs() < 0.2, "{d}");
    }
}
