// Shows the window's cached map image moved and scaled to the current view: a full-screen
// triangle whose texture coordinates map the screen onto where it lay in the cached image.

struct Blit {
    // Cached-image texture coordinates of the screen's top-left and bottom-right corners.
    uv_min: vec2<f32>,
    uv_max: vec2<f32>,
    // What shows where the cached image does not reach (linear, premultiplied).
    background: vec4<f32>,
};

@group(0) @binding(0) var<uniform> blit: Blit;
@group(0) @binding(1) var image: texture_2d<f32>;
@group(0) @binding(2) var image_sampler: sampler;

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> VertexOut {
    // (0,0), (2,0), (0,2) in screen units: covers the screen with one triangle.
    let s = vec2<f32>(f32((i << 1u) & 2u), f32(i & 2u));
    var out: VertexOut;
    out.position = vec4<f32>(s.x * 2.0 - 1.0, 1.0 - s.y * 2.0, 0.0, 1.0);
    out.uv = mix(blit.uv_min, blit.uv_max, s);
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    if any(in.uv < vec2<f32>(0.0)) || any(in.uv > vec2<f32>(1.0)) {
        return blit.background;
    }
    return textureSampleLevel(image, image_sampler, in.uv, 0.0);
}
