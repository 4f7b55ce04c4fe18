//! Any GeoJSON from anywhere on Earth: projections against PROJ, the antimeridian, the poles,
//! world files and the world around the region.

use borderlens::map::project::{Projection, ProjectionKind};

/// Reference values made by PROJ (tests/fixtures/projections/make.py).
const REFERENCE: &str = include_str!("fixtures/projections/reference.csv");

fn projection_named(name: &str) -> Projection {
    match name {
        "lcc" => Projection::new(ProjectionKind::Lcc),
        "mercator" => Projection::new(ProjectionKind::Mercator),
        "equal-earth" => Projection::new(ProjectionKind::EqualEarth),
        "equal-earth-180" => Projection::centred_on(ProjectionKind::EqualEarth, 180.0),
        other => panic!("unknown projection {other} in the fixture"),
    }
}

#[test]
fn projections_match_proj_and_invert() {
    let mut checked = 0;
    for line in REFERENCE.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let p = projection_named(f[0]);
        let v: Vec<f64> = f[1..].iter().map(|s| s.parse().unwrap()).collect();
        let (lon, lat, x, y) = (v[0], v[1], v[2], v[3]);
        let (px, py) = p
            .project(lon, lat)
            .unwrap_or_else(|| panic!("{line}: not projected"));
        // One metre.
        assert!(
            (px - x).abs() < 1e-3 && (py - y).abs() < 1e-3,
            "{line}: got {px:.6},{py:.6}"
        );
        let (ulon, ulat) = p.unproject(px, py).unwrap();
        let dlon = (ulon - lon + 540.0).rem_euclid(360.0) - 180.0;
        assert!(
            dlon.abs() < 1e-7 && (ulat - lat).abs() < 1e-7,
            "{line}: back to {ulon},{ulat}"
        );
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} reference points");
}
