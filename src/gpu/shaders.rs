//! The WGSL sources as the pipelines compile them: each file with the constants Rust owns
//! (`mesh::vertex::shader_prelude`) in front, so that the two never disagree.

use crate::mesh::vertex::shader_prelude;

/// `shaders/map.wgsl`: every map primitive.
pub fn map_source() -> String {
    shader_prelude() + include_str!("../../shaders/map.wgsl")
}

/// `shaders/blit.wgsl`: the window's cached map image, moved and scaled.
pub fn blit_source() -> String {
    shader_prelude() + include_str!("../../shaders/blit.wgsl")
}

/// `shaders/image.wgsl`: a layer drawn from its image.
pub fn image_source() -> String {
    shader_prelude() + include_str!("../../shaders/image.wgsl")
}

/// Compiles a source from this module.
pub fn module(device: &wgpu::Device, label: &str, source: String) -> wgpu::ShaderModule {
    device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(source.into()),
    })
}

/// A bind group layout entry for a uniform buffer.
pub fn uniform_entry(binding: u32, visibility: wgpu::ShaderStages) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility,
        ty: wgpu::BindingType::Buffer {
            ty: wgpu::BufferBindingType::Uniform,
            has_dynamic_offset: false,
            min_binding_size: None,
        },
        count: None,
    }
}

/// A bind group layout entry for a 2D float texture read by the fragment shader: `filterable`
/// when a sampler filters it (the map cache's blit), not when it is loaded texel by texel
/// (layer images).
pub fn texture_entry(binding: u32, filterable: bool) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A pipeline that draws one full-screen triangle (`vs_main`, `fs_main` of `shader`) with one
/// bind group: the map cache's blit and layer images.
pub fn fullscreen_pipeline(
    device: &wgpu::Device,
    label: &str,
    shader: &wgpu::ShaderModule,
    layout: &wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    blend: Option<wgpu::BlendState>,
) -> wgpu::RenderPipeline {
    let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
        label: Some(label),
        bind_group_layouts: &[Some(layout)],
        immediate_size: 0,
    });
    device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
        label: Some(label),
        layout: Some(&pipeline_layout),
        vertex: wgpu::VertexState {
            module: shader,
            entry_point: Some("vs_main"),
            compilation_options: Default::default(),
            buffers: &[],
        },
        primitive: wgpu::PrimitiveState::default(),
        depth_stencil: None,
        multisample: wgpu::MultisampleState::default(),
        fragment: Some(wgpu::FragmentState {
            module: shader,
            entry_point: Some("fs_main"),
            compilation_options: Default::default(),
            targets: &[Some(wgpu::ColorTargetState {
                format,
                blend,
                write_mask: wgpu::ColorWrites::ALL,
            })],
        }),
        multiview_mask: None,
        cache: None,
    })
}
