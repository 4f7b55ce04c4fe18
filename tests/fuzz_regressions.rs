//! Inputs found by the fuzz targets in fuzz/, kept as regression tests. Each is decoded by the
//! same code as its target: fuzz/src/rings.rs is included here.

use borderlens::mesh::tessellate::{tessellate, Mesh, TessInput};
use geo::{Geometry, LineString, Polygon};

#[path = "../fuzz/src/rings.rs"]
mod rings;

/// What the tessellate_rings target makes of `data` (before its own checks).
fn tessellate_rings(data: &[u8]) -> Mesh {
    let case = rings::decode(data).expect("a kept input has at least two bytes");
    tessellate(
        &[TessInput {
            geometry: &case.geometry,
            feature: 0,
            fill: case.fill,
            outline: case.outline,
            icon: None,
        }],
        case.simplify_km,
    )
}

#[test]
fn huge_coordinates_are_skipped_not_tessellated() {
    // lyon's fill tessellator grew its event queue past 2 GB on this self-intersecting ring
    // with coordinates near f32::MAX.
    let mut data = include_bytes!("fixtures/fuzz/tessellate-oom-huge-coords.bin").to_vec();
    data[0] = 0; // a polygon, filled, not outlined or simplified
    let mesh = tessellate_rings(&data);
    assert_eq!(mesh.skipped.len(), 1, "{:?}", mesh.skipped);
    assert!(mesh.skipped[0].1.contains("outside"));
    assert!(mesh.vertices.is_empty());
}

#[test]
fn sane_neighbours_still_tessellate() {
    let square = Geometry::Polygon(Polygon::new(
        LineString::from(vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 10.0),
            (0.0, 0.0),
        ]),
        vec![],
    ));
    let huge = Geometry::LineString(LineString::from(vec![(0.0, 0.0), (1e30, 1e30)]));
    let mesh = tessellate(
        &[
            TessInput {
                geometry: &huge,
                feature: 0,
                fill: true,
                outline: true,
                icon: None,
            },
            TessInput {
                geometry: &square,
                feature: 1,
                fill: true,
                outline: true,
                icon: None,
            },
        ],
        0.0,
    );
    assert_eq!(mesh.skipped.iter().map(|s| s.0).collect::<Vec<_>>(), [0]);
    assert!(mesh.vertices.iter().all(|v| v.feature() == 1) && !mesh.vertices.is_empty());
}

/// fuzz/src/mesh.rs compiles every module of src/mesh (it says so, and a module left out is a
/// module the fuzz targets no longer build, unnoticed: `cover` and `stream` were).
#[test]
fn the_fuzz_crate_compiles_every_mesh_module() {
    let root = env!("CARGO_MANIFEST_DIR");
    let listed = std::fs::read_to_string(format!("{root}/fuzz/src/mesh.rs")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(format!("{root}/src/mesh")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".rs") && name != "mod.rs" {
            let path = format!("#[path = \"../../src/mesh/{name}\"]");
            if !listed.contains(&path) {
                missing.push(name);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fuzz/src/mesh.rs leaves out {missing:?}"
    );
}
