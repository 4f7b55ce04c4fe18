// Draws every map primitive: fills, strokes extruded to a width in screen pixels, and round
// markers. Colours come from a per-feature table so hover and style changes never re-tessellate.
// The constants (KIND_*, FEATURE_MASK, NORMAL_RANGE, STYLE_HIDDEN, ...) come from Rust: the
// renderer prepends `mesh::vertex::shader_prelude()` to this source.

struct Camera {
    world_to_clip: mat4x4<f32>,
    px_to_clip: vec2<f32>,
    pixel_ratio: f32,
    // Logical pixels per km.
    scale: f32,
};

struct FeatureStyle {
    fill: vec4<f32>,
    stroke: vec4<f32>,
    marker: vec4<f32>,
    stroke_width: f32,
    marker_radius: f32,
    flags: u32,
    min_scale: f32,
};

struct Layer {
    opacity: f32,
    hovered: u32,
    selected: u32,
    // 1: a highlight drawn over the map's image, where the feature is drawn already.
    over: u32,
};

@group(0) @binding(0) var<uniform> camera: Camera;
@group(1) @binding(0) var<uniform> layer: Layer;
@group(1) @binding(1) var<storage, read> styles: array<FeatureStyle>;

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    // Premultiplied colour.
    @location(0) @interpolate(flat) color: vec4<f32>,
    // Antialiasing in physical pixels. w = 0: none (fill). w = 1 (stroke, fringe): x is the
    // distance across the edge, coverage falls to zero from y - 0.5 to y + 0.5. w = 2 (marker):
    // xy is the position inside the marker, z its radius.
    @location(1) aa: vec4<f32>,
};

fn highlight(c: vec4<f32>) -> vec4<f32> {
    // Towards a warm yellow, and more opaque, so hover shows on any fill.
    return vec4<f32>(mix(c.rgb, vec3<f32>(1.0, 0.78, 0.1), 0.45), max(c.a, 0.75));
}

@vertex
fn vs_main(
    @location(0) pos: vec2<f32>,
    @location(1) unit_normal: vec2<f32>,
    @location(2) feature_kind: u32,
) -> VertexOut {
    // `MapVertex::normal` is snorm16 over ±NORMAL_RANGE.
    let normal = unit_normal * NORMAL_RANGE;
    let feature = feature_kind & FEATURE_MASK;
    let kind_bits = feature_kind >> KIND_SHIFT;
    let kind = kind_bits & KIND_MASK;
    let style = styles[feature];
    let lit = feature == layer.hovered || feature == layer.selected;
    var out: VertexOut;
    var clip = camera.world_to_clip * vec4<f32>(pos, 0.0, 1.0);
    var color: vec4<f32>;
    out.aa = vec4<f32>(0.0);
    if kind == KIND_FILL {
        color = style.fill;
    } else if kind == KIND_FRINGE {
        // Outer corners move one pixel out (their normal is the mitred unit normal); inner ones stay.
        clip = clip + vec4<f32>(normal * camera.px_to_clip * clip.w, 0.0, 0.0);
        out.aa = vec4<f32>(select(0.0, 1.0, dot(normal, normal) > 0.0), 0.5, 0.0, 1.0);
        color = style.fill;
    } else if kind == KIND_STROKE {
        var width = style.stroke_width;
        if lit {
            width = width + 2.0;
        }
        // Lines thinner than a pixel are drawn one pixel wide and fainter.
        let w = width * camera.pixel_ratio;
        let half = 0.5 * max(w, 1.0);
        // One pixel more on each side for the falloff. lyon's normal has length 1 on straight
        // parts and more at miter joins, where the corner still lies `reach` off both edges.
        let reach = half + 1.0;
        clip = clip + vec4<f32>(normal * reach * camera.px_to_clip * clip.w, 0.0, 0.0);
        let side = select(1.0, -1.0, (kind_bits & STROKE_NEGATIVE_SIDE) != 0u);
        out.aa = vec4<f32>(side * reach, half + 0.5, 0.0, 1.0);
        color = style.stroke;
        color.a = color.a * min(w, 1.0);
    } else if kind == KIND_ICON {
        // A marker's symbol, white on the disc: its unit square fits inside the white ring.
        let radius = style.marker_radius * camera.pixel_ratio;
        let half = max(radius - 2.0, 1.0) * 0.72;
        clip = clip + vec4<f32>(normal * half * camera.px_to_clip * clip.w, 0.0, 0.0);
        color = vec4<f32>(1.0, 1.0, 1.0, style.marker.a);
    } else {
        // One extra pixel around the disc for antialiasing.
        let radius = style.marker_radius * camera.pixel_ratio;
        let half = radius + 1.0;
        clip = clip + vec4<f32>(normal * half * camera.px_to_clip * clip.w, 0.0, 0.0);
        out.aa = vec4<f32>(normal * half, radius, 2.0);
        color = style.marker;
    }
    if lit {
        color = highlight(color);
        // Over the map the feature's own fill is there already: a tint lets the places and
        // lines drawn above it show through.
        if layer.over != 0u && (kind == KIND_FILL || kind == KIND_FRINGE) {
            color.a = color.a * 0.4;
        }
    }
    if (style.flags & STYLE_HIDDEN) != 0u || camera.scale < style.min_scale {
        color.a = 0.0;
    }
    color.a = color.a * layer.opacity;
    out.color = vec4<f32>(color.rgb * color.a, color.a);
    out.position = clip;
    return out;
}

// Fills: one colour, nothing to antialias (their fringes are drawn with `fs_main`).
@fragment
fn fs_fill(@location(0) @interpolate(flat) color: vec4<f32>) -> @location(0) vec4<f32> {
    return color;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    if in.aa.w < 0.5 {
        return in.color;
    }
    if in.aa.w < 1.5 {
        return in.color * clamp(in.aa.y - abs(in.aa.x), 0.0, 1.0);
    }
    let radius = in.aa.z;
    let d = length(in.aa.xy);
    let coverage = clamp(radius - d + 0.5, 0.0, 1.0);
    // A white ring 1.5 px wide keeps markers visible on any fill.
    let ring = smoothstep(radius - 2.0, radius - 1.0, d);
    let rgb = mix(in.color.rgb, vec3<f32>(in.color.a), ring);
    return vec4<f32>(rgb, in.color.a) * coverage;
}
