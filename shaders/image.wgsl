// A heavy layer drawn from its image (a raster level of detail, `gpu::raster`): the texels as the
// layer drew them at this very scale, at a whole-pixel offset, premultiplied. A full-screen
// triangle; pixels outside the image keep what is below.

struct Placement {
    // The image's top-left pixel on the target, and its size, px.
    origin: vec2<f32>,
    size: vec2<f32>,
};

@group(0) @binding(0) var<uniform> place: Placement;
@group(0) @binding(1) var image: texture_2d<f32>;

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let s = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    return vec4<f32>(s.x * 2.0 - 1.0, 1.0 - s.y * 2.0, 0.0, 1.0);
}

@fragment
fn fs_main(@builtin(position) p: vec4<f32>) -> @location(0) vec4<f32> {
    let q = floor(p.xy - place.origin);
    if any(q < vec2<f32>(0.0)) || any(q >= place.size) {
        discard;
    }
    return textureLoad(image, vec2<i32>(q), 0);
}
