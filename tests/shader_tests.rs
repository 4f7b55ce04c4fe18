//! The shaders as the pipelines compile them (with the constants from Rust in front) are valid
//! WGSL, and each uniform or storage struct is laid out as big as the Rust struct written into
//! its buffer.

use borderlens::gpu::cache::BlitUniform;
use borderlens::gpu::raster::Placement;
use borderlens::gpu::shaders::{blit_source, image_source, map_source};
use borderlens::mesh::vertex::{
    CameraUniform, FeatureStyle, LayerUniform, KIND_FILL, KIND_FRINGE, KIND_MARKER, KIND_STROKE,
    MAX_FEATURES, STROKE_NEGATIVE_SIDE,
};
use wgpu::naga;

/// Parses and validates `source`; the error is naga's, pointing into the source.
fn validated(name: &str, source: &str) -> naga::Module {
    let module = naga::front::wgsl::parse_str(source)
        .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
    naga::valid::Validator::new(
        naga::valid::ValidationFlags::all(),
        naga::valid::Capabilities::empty(),
    )
    .validate(&module)
    .unwrap_or_else(|e| panic!("{name}: {}", e.emit_to_string(source)));
    module
}

/// The size naga lays the named struct out with (a uniform's buffer size; a storage array's
/// element stride for structs like `FeatureStyle` whose size is a multiple of their alignment).
fn wgsl_size(module: &naga::Module, name: &str) -> u32 {
    let mut layouter = naga::proc::Layouter::default();
    layouter.update(module.to_ctx()).expect("layout");
    let (handle, _) = module
        .types
        .iter()
        .find(|(_, t)| t.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no struct {name} in the shader"));
    layouter[handle].size
}

/// The value of a `u32` constant of the module.
fn wgsl_u32(module: &naga::Module, name: &str) -> u32 {
    let (_, c) = module
        .constants
        .iter()
        .find(|(_, c)| c.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no constant {name}"));
    match module.global_expressions[c.init] {
        naga::Expression::Literal(naga::Literal::U32(v)) => v,
        ref e => panic!("{name} is {e:?}"),
    }
}

#[test]
fn the_shaders_validate_with_the_rust_constants() {
    let map = validated("map.wgsl", &map_source());
    validated("blit.wgsl", &blit_source());
    validated("image.wgsl", &image_source());
    for (name, value) in [
        ("KIND_FILL", KIND_FILL),
        ("KIND_STROKE", KIND_STROKE),
        ("KIND_MARKER", KIND_MARKER),
        ("KIND_FRINGE", KIND_FRINGE),
        ("STROKE_NEGATIVE_SIDE", STROKE_NEGATIVE_SIDE),
        ("FEATURE_MASK", MAX_FEATURES - 1),
        ("STYLE_HIDDEN", FeatureStyle::HIDDEN),
    ] {
        assert_eq!(wgsl_u32(&map, name), value, "{name}");
    }
    // The shader files themselves declare none of these: Rust is their one source.
    let raw = include_str!("../shaders/map.wgsl");
    for name in ["KIND_", "NORMAL_RANGE", "FEATURE_MASK", "STYLE_HIDDEN"] {
        assert!(
            !raw.contains(&format!("const {name}")),
            "map.wgsl declares {name} itself"
        );
    }
}

#[test]
fn uniform_structs_are_as_big_as_the_rust_ones() {
    let map = validated("map.wgsl", &map_source());
    let blit = validated("blit.wgsl", &blit_source());
    let image = validated("image.wgsl", &image_source());
    let cases = [
        (&map, "Camera", size_of::<CameraUniform>()),
        (&map, "Layer", size_of::<LayerUniform>()),
        (&map, "FeatureStyle", size_of::<FeatureStyle>()),
        (&blit, "Blit", size_of::<BlitUniform>()),
        (&image, "Placement", size_of::<Placement>()),
    ];
    for (module, name, rust) in cases {
        assert_eq!(wgsl_size(module, name) as usize, rust, "struct {name}");
    }
}
