//! A headless device and an offscreen target: render, then read the pixels back (rows padded
//! to 256 bytes by wgpu). Used by `borderlens render` and the tests.

use super::GpuError;

pub const FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;
pub const UI_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8Unorm;

/// Device and queue without a window.
pub struct Gpu {
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

impl Gpu {
    /// Any adapter, software drivers included (lavapipe, llvmpipe). `WGPU_BACKEND` is honoured.
    pub fn headless() -> Result<Gpu, GpuError> {
        let mut error = None;
        for backends in backend_choices() {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle().with_env();
            desc.backends = backends;
            let instance = wgpu::Instance::new(desc);
            match pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                apply_limit_buckets: false,
            })) {
                // Offscreen targets are seen both as sRGB (the map) and not (egui's labels).
                Ok(adapter)
                    if !adapter
                        .get_downlevel_capabilities()
                        .flags
                        .contains(wgpu::DownlevelFlags::VIEW_FORMATS) =>
                {
                    let info = adapter.get_info();
                    error = Some(format!(
                        "{} ({:?}) cannot view a texture in another format, which drawing to an image needs",
                        info.name, info.backend
                    ));
                }
                Ok(adapter) => return Self::from_adapter(adapter),
                Err(e) => error = Some(e.to_string()),
            }
        }
        Err(GpuError::NoAdapter(error.unwrap_or_default()))
    }

    pub fn from_adapter(adapter: wgpu::Adapter) -> Result<Gpu, GpuError> {
        // The map's vertex shader reads the per-feature style table: without storage buffers
        // in vertex shaders (OpenGL ES on some drivers) every draw would fail validation.
        let downlevel = adapter.get_downlevel_capabilities();
        if !downlevel
            .flags
            .contains(wgpu::DownlevelFlags::VERTEX_STORAGE)
            || adapter.limits().max_storage_buffers_per_shader_stage == 0
        {
            let info = adapter.get_info();
            return Err(GpuError::NoAdapter(format!(
                "{} ({:?}) cannot read storage buffers in vertex shaders, which the map needs",
                info.name, info.backend
            )));
        }
        // Big files need big buffers: ask for what the adapter has.
        let mut limits = wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits());
        limits.max_buffer_size = adapter.limits().max_buffer_size;
        limits.max_storage_buffer_binding_size = adapter.limits().max_storage_buffer_binding_size;
        // A software driver's device memory is host memory: buffers written in place need no
        // staging copy as big as the mesh (`upload_pages`).
        let in_place = wgpu::Features::MAPPABLE_PRIMARY_BUFFERS;
        let required_features = if adapter.get_info().device_type == wgpu::DeviceType::Cpu
            && adapter.features().contains(in_place)
        {
            in_place
        } else {
            wgpu::Features::empty()
        };
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("borderlens"),
            required_limits: limits,
            required_features,
            ..Default::default()
        }))
        .map_err(|e| GpuError::Device(e.to_string()))?;
        Ok(Gpu {
            adapter,
            device,
            queue,
        })
    }

    pub fn describe(&self) -> String {
        let i = self.adapter.get_info();
        format!("{} ({:?}, {:?})", i.name, i.backend, i.device_type)
    }
}

/// A buffer to copy a texture into, with rows padded to 256 bytes as wgpu requires; reads
/// back tight RGBA rows (BGRA surfaces are swizzled). Used by `render` and the window.
pub struct Readback {
    buffer: wgpu::Buffer,
    size: [u32; 2],
    padded_row: u32,
    bgra: bool,
}

impl Readback {
    pub fn new(device: &wgpu::Device, size: [u32; 2], format: wgpu::TextureFormat) -> Readback {
        let padded_row = (size[0] * 4).div_ceil(wgpu::COPY_BYTES_PER_ROW_ALIGNMENT)
            * wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: padded_row as u64 * size[1] as u64,
            usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
            mapped_at_creation: false,
        });
        let bgra = matches!(
            format,
            wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
        );
        Readback {
            buffer,
            size,
            padded_row,
            bgra,
        }
    }

    /// Copies `texture` into the buffer; submit `encoder` afterwards, then `read`.
    pub fn copy(&self, encoder: &mut wgpu::CommandEncoder, texture: &wgpu::Texture) {
        encoder.copy_texture_to_buffer(
            wgpu::TexelCopyTextureInfo {
                texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::TexelCopyBufferInfo {
                buffer: &self.buffer,
                layout: wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(self.padded_row),
                    rows_per_image: Some(self.size[1]),
                },
            },
            wgpu::Extent3d {
                width: self.size[0],
                height: self.size[1],
                depth_or_array_layers: 1,
            },
        );
    }

    /// Waits for the GPU and returns tightly packed RGBA8 rows.
    pub fn read(&self, device: &wgpu::Device) -> Result<image::RgbaImage, GpuError> {
        let slice = self.buffer.slice(..);
        let (tx, rx) = std::sync::mpsc::channel();
        slice.map_async(wgpu::MapMode::Read, move |r| {
            let _ = tx.send(r);
        });
        device
            .poll(wgpu::PollType::Wait {
                submission_index: None,
                timeout: None,
            })
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        rx.recv()
            .map_err(|e| GpuError::Readback(e.to_string()))?
            .map_err(|e| GpuError::Readback(e.to_string()))?;
        let mut pixels = Vec::with_capacity((self.size[0] * self.size[1] * 4) as usize);
        {
            let data = slice
                .get_mapped_range()
                .map_err(|e| GpuError::Readback(format!("{e:?}")))?;
            for row in data.chunks(self.padded_row as usize) {
                pixels.extend_from_slice(&row[..(self.size[0] * 4) as usize]);
            }
        }
        self.buffer.unmap();
        if self.bgra {
            for px in pixels.chunks_exact_mut(4) {
                px.swap(0, 2);
            }
        }
        image::RgbaImage::from_raw(self.size[0], self.size[1], pixels)
            .ok_or_else(|| GpuError::Readback("wrong image size".into()))
    }
}

/// A texture to render into, and its readback buffer.
pub struct OffscreenTarget {
    pub size: [u32; 2],
    texture: wgpu::Texture,
    pub view: wgpu::TextureView,
    /// The same texture seen as non-sRGB, for egui (which blends in gamma space).
    pub ui_view: wgpu::TextureView,
    readback: Readback,
}

impl OffscreenTarget {
    pub fn new(device: &wgpu::Device, size: [u32; 2]) -> OffscreenTarget {
        let texture = super::texture_2d(
            device,
            "offscreen",
            size,
            FORMAT,
            wgpu::TextureUsages::RENDER_ATTACHMENT
                | wgpu::TextureUsages::COPY_SRC
                | wgpu::TextureUsages::COPY_DST,
            &[UI_FORMAT],
        );
        let view = texture.create_view(&Default::default());
        let ui_view = texture.create_view(&wgpu::TextureViewDescriptor {
            format: Some(UI_FORMAT),
            ..Default::default()
        });
        let readback = Readback::new(device, size, FORMAT);
        OffscreenTarget {
            size,
            texture,
            view,
            ui_view,
            readback,
        }
    }

    /// Fills the texture with `image` (sRGB RGBA8 of the target's size), to draw over it.
    pub fn write(&self, queue: &wgpu::Queue, image: &image::RgbaImage) {
        queue.write_texture(
            wgpu::TexelCopyTextureInfo {
                texture: &self.texture,
                mip_level: 0,
                origin: wgpu::Origin3d::ZERO,
                aspect: wgpu::TextureAspect::All,
            },
            image.as_raw(),
            wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(4 * self.size[0]),
                rows_per_image: Some(self.size[1]),
            },
            wgpu::Extent3d {
                width: self.size[0],
                height: self.size[1],
                depth_or_array_layers: 1,
            },
        );
    }

    /// Copies the texture into the readback buffer; submit `encoder` afterwards, then `read`.
    pub fn copy_out(&self, encoder: &mut wgpu::CommandEncoder) {
        self.readback.copy(encoder, &self.texture);
    }

    /// Waits for the GPU and returns tightly packed RGBA8 (sRGB) rows.
    pub fn read(&self, device: &wgpu::Device) -> Result<image::RgbaImage, GpuError> {
        self.readback.read(device)
    }
}

/// Draws egui's paint jobs over `view` (loaded, not cleared): the labels of `render` and the
/// window's panels both go through here.
pub fn draw_egui(
    encoder: &mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    egui: &egui_wgpu::Renderer,
    jobs: &[egui::ClippedPrimitive],
    screen: &egui_wgpu::ScreenDescriptor,
) {
    let mut pass = encoder
        .begin_render_pass(&wgpu::RenderPassDescriptor {
            label: Some("egui"),
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Load,
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        })
        .forget_lifetime();
    egui.render(&mut pass, jobs, screen);
}

/// The backends to look for an adapter in, in turn: `WGPU_BACKEND` when it is set; otherwise
/// Vulkan (Metal, DX12) first, then all of them. Starting GL only to pass it over for Vulkan cost
/// 11 MB and 20-30 ms of every start on Mesa's software drivers.
pub fn backend_choices() -> Vec<wgpu::Backends> {
    match wgpu::Backends::from_env() {
        Some(b) => vec![b],
        None => vec![wgpu::Backends::PRIMARY, wgpu::Backends::all()],
    }
}
