//! The one renderer: pipeline and uploaded layers, drawing into any `TextureView`
//! (a window's surface or an offscreen texture). Knows nothing of GeoJSON, winit or egui.

pub mod cache;
pub mod offscreen;
pub mod vertex;

use wgpu::util::DeviceExt;

use crate::camera::Camera;
use crate::tessellate::{Chunk, Mesh};
use vertex::{CameraUniform, FeatureStyle, LayerUniform, MapVertex};

/// `MapVertex` as the shader sees it.
const VERTEX_ATTRIBUTES: [wgpu::VertexAttribute; 3] =
    wgpu::vertex_attr_array![0 => Float32x2, 1 => Snorm16x2, 2 => Uint32];

/// How far past a chunk's geometry its strokes (with the hover highlight) and markers reach,
/// in physical pixels: a chunk is culled only when it is at least this far out of view.
pub const CULL_MARGIN_PX: f64 = 32.0;

#[derive(Debug, thiserror::Error)]
pub enum GpuError {
    #[error("no graphics adapter found (install a Vulkan driver; for software rendering: apt-get install mesa-vulkan-drivers): {0}")]
    NoAdapter(String),
    #[error("cannot open the graphics device: {0}")]
    Device(String),
    #[error("reading the image back from the GPU failed: {0}")]
    Readback(String),
}

/// A layer's mesh and style table on the GPU.
pub struct GpuLayer {
    /// Unique in the process: which layers a cached map image shows.
    pub id: u64,
    /// Bumped whenever the style table changes.
    pub styles_version: u64,
    vertices: wgpu::Buffer,
    indices: wgpu::Buffer,
    chunks: Vec<Chunk>,
    uniform: wgpu::Buffer,
    styles: wgpu::Buffer,
    style_count: usize,
    bind_group: wgpu::BindGroup,
    pub state: LayerUniform,
    pub visible: bool,
}

impl GpuLayer {
    pub fn set_opacity(&mut self, opacity: f32) {
        self.state.opacity = opacity;
    }
    pub fn set_hovered(&mut self, feature: Option<u32>) {
        self.state.hovered = feature.unwrap_or(u32::MAX);
    }
    pub fn set_selected(&mut self, feature: Option<u32>) {
        self.state.selected = feature.unwrap_or(u32::MAX);
    }
    /// Everything about this layer that decides its pixels but the camera, hashed.
    pub fn fingerprint(&self, h: &mut impl std::hash::Hasher) {
        h.write_u64(self.id);
        h.write_u64(self.styles_version);
        h.write_u8(self.visible as u8);
        h.write(bytemuck::bytes_of(&self.state));
    }

    pub fn vertex_bytes(&self) -> u64 {
        self.vertices.size() + self.indices.size()
    }

    /// Triangles a frame of `camera` draws of this layer (after culling).
    pub fn visible_triangles(&self, camera: &Camera) -> u64 {
        self.visible_chunks(camera, CULL_MARGIN_PX)
            .map(|c| (c.indices.end - c.indices.start) as u64 / 3)
            .sum()
    }

    /// The chunks a view of `camera` shows (bounds padded by `margin_px` for strokes and markers
    /// that reach past their geometry).
    pub fn visible_chunks<'a>(
        &'a self,
        camera: &Camera,
        margin_px: f64,
    ) -> impl Iterator<Item = &'a Chunk> + 'a {
        let view = camera.visible_world();
        let m = margin_px / camera.scale;
        let v = [
            (view.min().x - m) as f32,
            (view.min().y - m) as f32,
            (view.max().x + m) as f32,
            (view.max().y + m) as f32,
        ];
        self.chunks.iter().filter(move |c| {
            let b = c.bounds;
            b[0] <= v[2] && b[2] >= v[0] && b[1] <= v[3] && b[3] >= v[1]
        })
    }
}

pub struct Renderer {
    pipeline: wgpu::RenderPipeline,
    camera_buffer: wgpu::Buffer,
    camera_bind_group: wgpu::BindGroup,
    layer_layout: wgpu::BindGroupLayout,
    format: wgpu::TextureFormat,
    pub background: wgpu::Color,
}

impl Renderer {
    /// `format` is the format of the views it will draw into (an sRGB format for correct blending).
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> Renderer {
        let shader = device.create_shader_module(wgpu::include_wgsl!("../../shaders/map.wgsl"));
        let uniform_entry = |binding, visibility| wgpu::BindGroupLayoutEntry {
            binding,
            visibility,
            ty: wgpu::BindingType::Buffer {
                ty: wgpu::BufferBindingType::Uniform,
                has_dynamic_offset: false,
                min_binding_size: None,
            },
            count: None,
        };
        let camera_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("camera"),
            entries: &[uniform_entry(0, wgpu::ShaderStages::VERTEX)],
        });
        let layer_layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("layer"),
            entries: &[
                uniform_entry(0, wgpu::ShaderStages::VERTEX),
                wgpu::BindGroupLayoutEntry {
                    binding: 1,
                    visibility: wgpu::ShaderStages::VERTEX,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Storage { read_only: true },
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
            ],
        });
        let layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("map"),
            bind_group_layouts: &[Some(&camera_layout), Some(&layer_layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("map"),
            layout: Some(&layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: std::mem::size_of::<MapVertex>() as u64,
                    step_mode: wgpu::VertexStepMode::Vertex,
                    attributes: &VERTEX_ATTRIBUTES,
                })],
            },
            primitive: wgpu::PrimitiveState {
                topology: wgpu::PrimitiveTopology::TriangleList,
                cull_mode: None,
                ..Default::default()
            },
            depth_stencil: None,
            // No MSAA: edges are antialiased in the shader (strokes, fill fringes, markers). On a
            // software rasterizer 4× MSAA made frames several times slower.
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &shader,
                entry_point: Some("fs_main"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format,
                    blend: Some(wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING),
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        });
        let camera_buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("camera"),
            size: std::mem::size_of::<CameraUniform>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let camera_bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("camera"),
            layout: &camera_layout,
            entries: &[wgpu::BindGroupEntry {
                binding: 0,
                resource: camera_buffer.as_entire_binding(),
            }],
        });
        let bg = crate::style::palette::BACKGROUND.linear(1.0);
        Renderer {
            pipeline,
            camera_buffer,
            camera_bind_group,
            layer_layout,
            format,
            background: wgpu::Color {
                r: bg[0] as f64,
                g: bg[1] as f64,
                b: bg[2] as f64,
                a: 1.0,
            },
        }
    }

    pub fn format(&self) -> wgpu::TextureFormat {
        self.format
    }

    /// Uploads a mesh and its style table once; pan and zoom never touch it again.
    pub fn upload(&self, device: &wgpu::Device, mesh: &Mesh, styles: &[FeatureStyle]) -> GpuLayer {
        // wgpu refuses zero-sized buffers and bindings.
        let vertices: &[u8] = if mesh.vertices.is_empty() {
            &[0; std::mem::size_of::<MapVertex>()]
        } else {
            bytemuck::cast_slice(&mesh.vertices)
        };
        let indices: &[u8] = if mesh.indices.is_empty() {
            &[0; 12]
        } else {
            bytemuck::cast_slice(&mesh.indices)
        };
        let vertices = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layer vertices"),
            contents: vertices,
            usage: wgpu::BufferUsages::VERTEX,
        });
        let indices = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layer indices"),
            contents: indices,
            usage: wgpu::BufferUsages::INDEX,
        });
        let state = LayerUniform {
            opacity: 1.0,
            hovered: u32::MAX,
            selected: u32::MAX,
            _pad: 0,
        };
        let uniform = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("layer"),
            contents: bytemuck::bytes_of(&state),
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
        });
        let one = [FeatureStyle::zeroed()];
        let table = if styles.is_empty() { &one[..] } else { styles };
        let styles_buf = device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("feature styles"),
            contents: bytemuck::cast_slice(table),
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST,
        });
        let bind_group = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("layer"),
            layout: &self.layer_layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: uniform.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: styles_buf.as_entire_binding(),
                },
            ],
        });
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        GpuLayer {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            styles_version: 0,
            vertices,
            indices,
            chunks: mesh.chunks.clone(),
            uniform,
            styles: styles_buf,
            style_count: table.len(),
            bind_group,
            state,
            visible: true,
        }
    }

    /// Replaces a layer's style table (same feature count), e.g. after a style edit.
    pub fn update_styles(
        &self,
        queue: &wgpu::Queue,
        layer: &mut GpuLayer,
        styles: &[FeatureStyle],
    ) {
        if styles.len() == layer.style_count {
            queue.write_buffer(&layer.styles, 0, bytemuck::cast_slice(styles));
            layer.styles_version += 1;
        }
    }

    /// Draws `layers` in order into `target` (its size must match the camera's viewport).
    pub fn render<'a>(
        &mut self,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        camera: &Camera,
        layers: impl IntoIterator<Item = &'a GpuLayer>,
    ) {
        let layers: Vec<&GpuLayer> = layers.into_iter().collect();
        let draws = self.prepare(queue, camera, &layers);
        self.pass(encoder, target, true, &layers, &draws);
    }

    /// Like [`Renderer::render`], in passes of about `batch` triangles, each submitted and
    /// finished before the next: a software rasterizer then holds one batch of binned triangles
    /// at a time instead of all of them (`render` of a 100 MB file).
    pub fn render_batched(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        target: &wgpu::TextureView,
        camera: &Camera,
        layers: &[&GpuLayer],
        batch: u32,
    ) -> Result<(), GpuError> {
        let mut draws = Vec::new();
        for (l, r) in self.prepare(queue, camera, layers) {
            // Split long runs; index counts stay multiples of three.
            let step = (batch.max(1) * 3).max(3);
            let mut start = r.start;
            while start < r.end {
                let end = (start + step).min(r.end);
                draws.push((l, start..end));
                start = end;
            }
        }
        let mut first = true;
        let mut rest = &draws[..];
        while first || !rest.is_empty() {
            let mut triangles = 0;
            let n = rest
                .iter()
                .take_while(|(_, r)| {
                    let fits = triangles == 0 || triangles + (r.end - r.start) / 3 <= batch;
                    triangles += (r.end - r.start) / 3;
                    fits
                })
                .count();
            let (now, later) = rest.split_at(n);
            let mut encoder = device.create_command_encoder(&Default::default());
            self.pass(&mut encoder, target, first, layers, now);
            queue.submit([encoder.finish()]);
            device
                .poll(wgpu::PollType::Wait {
                    submission_index: None,
                    timeout: None,
                })
                .map_err(|e| GpuError::Device(e.to_string()))?;
            first = false;
            rest = later;
        }
        Ok(())
    }

    /// Writes the uniforms and lists the draws: (index into `layers`, index range), chunks that
    /// are next to each other in a buffer in one draw.
    fn prepare(
        &self,
        queue: &wgpu::Queue,
        camera: &Camera,
        layers: &[&GpuLayer],
    ) -> Vec<(usize, std::ops::Range<u32>)> {
        let size = camera.size;
        let uniform = CameraUniform {
            world_to_clip: camera.world_to_clip(),
            px_to_clip: [2.0 / size[0] as f32, 2.0 / size[1] as f32],
            pixel_ratio: camera.pixel_ratio,
            scale: (camera.scale / camera.pixel_ratio as f64) as f32,
        };
        queue.write_buffer(&self.camera_buffer, 0, bytemuck::bytes_of(&uniform));
        let mut draws: Vec<(usize, std::ops::Range<u32>)> = Vec::new();
        for (i, layer) in layers.iter().enumerate() {
            if !layer.visible || layer.chunks.is_empty() || layer.state.opacity <= 0.0 {
                continue;
            }
            queue.write_buffer(&layer.uniform, 0, bytemuck::bytes_of(&layer.state));
            for chunk in layer.visible_chunks(camera, CULL_MARGIN_PX) {
                match draws.last_mut() {
                    Some((l, r)) if *l == i && r.end == chunk.indices.start => {
                        r.end = chunk.indices.end
                    }
                    _ => draws.push((i, chunk.indices.clone())),
                }
            }
        }
        draws
    }

    /// One render pass of `draws` (from [`Renderer::prepare`]) into `target`.
    fn pass(
        &self,
        encoder: &mut wgpu::CommandEncoder,
        target: &wgpu::TextureView,
        clear: bool,
        layers: &[&GpuLayer],
        draws: &[(usize, std::ops::Range<u32>)],
    ) {
        let mut pass = encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("map"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: target,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: if clear {
                        wgpu::LoadOp::Clear(self.background)
                    } else {
                        wgpu::LoadOp::Load
                    },
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.camera_bind_group, &[]);
        let mut bound = None;
        for (i, range) in draws {
            if bound != Some(*i) {
                let layer = layers[*i];
                pass.set_bind_group(1, &layer.bind_group, &[]);
                pass.set_vertex_buffer(0, layer.vertices.slice(..));
                pass.set_index_buffer(layer.indices.slice(..), wgpu::IndexFormat::Uint32);
                bound = Some(*i);
            }
            pass.draw_indexed(range.clone(), 0, 0..1);
        }
    }
}

use bytemuck::Zeroable;
