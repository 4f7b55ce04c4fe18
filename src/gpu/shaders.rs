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
